<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru" sourcelanguage="ru">
<context>
    <name>ReviewOutput</name>
    <message numerus="yes">
        <source>Недостающие документы на {now:%d.%m.%Y %H:%M}: %n участников</source>
        <translation>
            <numerusform>Недостающие документы на {now:%d.%m.%Y %H:%M}: %n участник</numerusform>
            <numerusform>Недостающие документы на {now:%d.%m.%Y %H:%M}: %n участника</numerusform>
            <numerusform>Недостающие документы на {now:%d.%m.%Y %H:%M}: %n участников</numerusform>
        </translation>
    </message>
</context>
</TS>
