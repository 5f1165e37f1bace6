<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="ru">
<context>
    <name>AccessLogDialog</name>
    <message>
        <source>Журнал доступа к ПД…</source>
        <translation>Personal data access log…</translation>
    </message>
    <message>
        <source>Журнал доступа к персональным данным</source>
        <translation>Personal data access log</translation>
    </message>
    <message>
        <source>Кто просматривал, открывал, выгружал, загружал, копировал на портал, удалял и уничтожал документы участников. Выгрузка прилагается к акту об уничтожении персональных данных.</source>
        <translation>Who viewed, opened, exported, uploaded, copied to the portal, deleted and destroyed participants&apos; documents. The export is attached to the personal data destruction certificate.</translation>
    </message>
    <message>
        <source>Выгрузить…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <source>С</source>
        <translation>From</translation>
    </message>
    <message>
        <source>По</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Журнал доступа к ПД {first:%Y-%m-%d} — {last:%Y-%m-%d}.xlsx</source>
        <translation>Personal data access log {first:%Y-%m-%d} — {last:%Y-%m-%d}.xlsx</translation>
    </message>
    <message>
        <source>Выгрузить журнал</source>
        <translation>Export the log</translation>
    </message>
    <message>
        <source>Книга Excel (*.xlsx);;CSV для Excel (*.csv)</source>
        <translation>Excel workbook (*.xlsx);;CSV for Excel (*.csv)</translation>
    </message>
    <message>
        <source>Начало периода позже его конца: записей в таком периоде нет</source>
        <translation>The period starts after it ends: there are no entries in such a period</translation>
    </message>
    <message>
        <source>Журнал выгружается…</source>
        <translation>Exporting the log…</translation>
    </message>
    <message>
        <source>Журнал не сохранён в {path}: {reason}</source>
        <translation>The log was not saved to {path}: {reason}</translation>
    </message>
    <message>
        <source>Журнал сохранён: {path} (записей: {count})</source>
        <translation>Log saved: {path} (entries: {count})</translation>
    </message>
</context>
<context>
    <name>AttentionDialog</name>
    <message>
        <source>Уточните документы</source>
        <translation>Clarify the documents</translation>
    </message>
    <message>
        <source>Файл</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Почему</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>Тип</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Участник</source>
        <translation>Participant</translation>
    </message>
    <message>
        <source>— выберите —</source>
        <translation>— choose —</translation>
    </message>
    <message>
        <source>Не удалось уверенно определить тип или участника. Выберите сами.</source>
        <translation>The type or the participant could not be determined with confidence. Please choose.</translation>
    </message>
</context>
<context>
    <name>AutoPushBox</name>
    <message>
        <source>Автоматическая выгрузка</source>
        <translation>Automatic push</translation>
    </message>
    <message>
        <source>Выгружать автоматически</source>
        <translation>Push automatically</translation>
    </message>
    <message>
        <source>Сохранить правило</source>
        <translation>Save the rule</translation>
    </message>
    <message>
        <source>Правило не сохранено: {error}</source>
        <translation>The rule was not saved: {error}</translation>
    </message>
    <message>
        <source>Правило автоматической выгрузки сохранено</source>
        <translation>The automatic push rule is saved</translation>
    </message>
</context>
<context>
    <name>BackgroundSync</name>
    <message>
        <source>нет связи</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>Часть изменений не принята порталом</source>
        <translation>Some changes were not accepted by the portal</translation>
    </message>
    <message>
        <source>Нет связи с порталом: работаем с кэшем, изменения ждут отправки</source>
        <translation>No connection to the portal: working from the cache, changes are waiting to be sent</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <source>нет данных</source>
        <translation>no data</translation>
    </message>
</context>
<context>
    <name>Checklist</name>
    <message>
        <source>есть</source>
        <translation>present</translation>
    </message>
    <message>
        <source>нет</source>
        <translation>missing</translation>
    </message>
    <message>
        <source>отклонён</source>
        <translation>rejected</translation>
    </message>
</context>
<context>
    <name>ChecklistSlot</name>
    <message>
        <source>Перетащите сюда файл: он будет загружен как «{title}»</source>
        <translation>Drop a file here: it will be uploaded as “{title}”</translation>
    </message>
</context>
<context>
    <name>ConnectExplain</name>
    <message>
        <source>Вставьте адрес входящего вебхука: https://портал/rest/ID/КОД/</source>
        <translation>Paste the address of an inbound webhook: https://portal/rest/ID/CODE/</translation>
    </message>
    <message>
        <source>Адрес вебхука должен начинаться с https:// — скопируйте его целиком со страницы вебхука на портале</source>
        <translation>The webhook address must start with https:// — copy it in full from the webhook&apos;s page on the portal</translation>
    </message>
    <message>
        <source>Портал {hostname} открыт по http: вебхук — это пароль, его можно передавать только по https. Замените http:// на https://</source>
        <translation>Portal {hostname} is opened over http: a webhook is a password and may only travel over https. Replace http:// with https://</translation>
    </message>
    <message>
        <source>Это не адрес входящего вебхука Битрикс24: ожидается https://портал/rest/ID/КОД/ (Разработчикам → Другое → Входящий вебхук)</source>
        <translation>This is not the address of a Bitrix24 inbound webhook: https://portal/rest/ID/CODE/ is expected (Developer resources → Other → Inbound webhook)</translation>
    </message>
    <message>
        <source>Сертификат портала {portal} не прошёл проверку ({description}). Если в организации свой удостоверяющий центр, укажите файл его сертификата в поле «Файл сертификата (CA)»</source>
        <translation>The certificate of portal {portal} failed verification ({description}). If your organisation has its own certificate authority, give its certificate file in the “CA certificate file” field</translation>
    </message>
    <message>
        <source>Портал {portal} не принял вебхук: он неверен или отозван. Создайте на портале новый входящий вебхук и вставьте его адрес</source>
        <translation>Portal {portal} did not accept the webhook: it is wrong or revoked. Create a new inbound webhook on the portal and paste its address</translation>
    </message>
    <message>
        <source>На тарифе портала {portal} REST API недоступен (он есть на коммерческих тарифах): программа не сможет работать с этим порталом</source>
        <translation>The plan of portal {portal} has no REST API (paid plans have it): the program cannot work with this portal</translation>
    </message>
    <message>
        <source>У вебхука не хватает прав ({description}): при создании вебхука отметьте права crm, lists, disk и user (нужен пользователь с доступом к CRM)</source>
        <translation>The webhook lacks rights ({description}): when creating the webhook, tick the crm, lists, disk and user scopes (a user with access to the CRM is needed)</translation>
    </message>
    <message>
        <source>Портал {portal} не отвечает ({description}): проверьте адрес, подключение к интернету и попробуйте ещё раз</source>
        <translation>Portal {portal} does not answer ({description}): check the address and the internet connection and try again</translation>
    </message>
    <message>
        <source>По адресу {portal} отвечает не Битрикс24 ({description}): проверьте адрес портала</source>
        <translation>Whatever answers at {portal} is not Bitrix24 ({description}): check the portal address</translation>
    </message>
    <message>
        <source>Портал {portal} ответил ошибкой: {description}</source>
        <translation>Portal {portal} answered with an error: {description}</translation>
    </message>
    <message>
        <source>Проверка не удалась из-за ошибки программы ({kind}: {error})</source>
        <translation>The check failed because of a program error ({kind}: {error})</translation>
    </message>
</context>
<context>
    <name>ConnectWizard</name>
    <message>
        <source>Подключение к порталу Битрикс24</source>
        <translation>Connect to a Bitrix24 portal</translation>
    </message>
    <message>
        <source>Задана переменная окружения DPO_B24_WEBHOOK: программа использует её вместо вставленного вебхука. Уберите переменную и запустите программу заново</source>
        <translation>The environment variable DPO_B24_WEBHOOK is set: the program uses it instead of the pasted webhook. Remove the variable and start the program again</translation>
    </message>
    <message>
        <source>Сначала проверьте подключение: схема ДПО на портале должна быть найдена</source>
        <translation>Check the connection first: the DPO schema must be found on the portal</translation>
    </message>
</context>
<context>
    <name>ContactFieldsDialog</name>
    <message>
        <source>Данные из документов: {full_name}</source>
        <translation>Data from documents: {full_name}</translation>
    </message>
    <message>
        <source>СНИЛС</source>
        <translation>SNILS</translation>
    </message>
    <message>
        <source>Гражданство (ОКСМ)</source>
        <translation>Citizenship (OKSM code)</translation>
    </message>
    <message>
        <source>Серия паспорта</source>
        <translation>Passport series</translation>
    </message>
    <message>
        <source>Номер паспорта</source>
        <translation>Passport number</translation>
    </message>
    <message>
        <source>Пол</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>Уровень образования</source>
        <translation>Education level</translation>
    </message>
    <message>
        <source>Фамилия в дипломе</source>
        <translation>Surname on the diploma</translation>
    </message>
    <message>
        <source>Серия диплома</source>
        <translation>Diploma series</translation>
    </message>
    <message>
        <source>Номер диплома</source>
        <translation>Diploma number</translation>
    </message>
</context>
<context>
    <name>ContactForm</name>
    <message>
        <source>мужской</source>
        <translation>male</translation>
    </message>
    <message>
        <source>женский</source>
        <translation>female</translation>
    </message>
    <message>
        <source>высшее (ВО)</source>
        <translation>higher education</translation>
    </message>
    <message>
        <source>среднее проф. (СПО)</source>
        <translation>vocational (secondary)</translation>
    </message>
    <message>
        <source>обучается (справка)</source>
        <translation>student (certificate)</translation>
    </message>
    <message>
        <source>Новый контакт</source>
        <translation>New contact</translation>
    </message>
    <message>
        <source>Фамилия</source>
        <translation>Surname</translation>
    </message>
    <message>
        <source>Имя</source>
        <translation>First name</translation>
    </message>
    <message>
        <source>Отчество</source>
        <translation>Patronymic</translation>
    </message>
    <message>
        <source>Дата рождения</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>ДД.ММ.ГГГГ</source>
        <translation>DD.MM.YYYY</translation>
    </message>
    <message>
        <source>Телефон</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Эл. почта</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>СНИЛС</source>
        <translation>SNILS</translation>
    </message>
</context>
<context>
    <name>ContactSearch</name>
    <message>
        <source>Найти контакт для добавления: ФИО, телефон или эл. почта</source>
        <translation>Find a contact to add: full name, phone or e-mail</translation>
    </message>
    <message>
        <source>Добавить</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Ничего не найдено — создайте новый контакт</source>
        <translation>Nothing found — create a new contact</translation>
    </message>
</context>
<context>
    <name>Crash</name>
    <message>
        <source>Система: {platform}</source>
        <translation>System: {platform}</translation>
    </message>
    <message>
        <source>Поток: {thread}</source>
        <translation>Thread: {thread}</translation>
    </message>
    <message>
        <source>Ошибка:</source>
        <translation>Error:</translation>
    </message>
    <message>
        <source>Последние строки журнала ({count}):</source>
        <translation>Last log lines ({count}):</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>DPO Desk — внутренняя ошибка</source>
        <translation>DPO Desk — internal error</translation>
    </message>
    <message>
        <source>В программе произошла ошибка. Данные в кэше и очередь изменений сохранены. Скопируйте отчёт и отправьте его разработчикам: в нём нет вебхука и паролей.</source>
        <translation>An error occurred in the program. The cached data and the queue of changes are saved. Copy the report and send it to the developers: it contains no webhook and no passwords.</translation>
    </message>
    <message>
        <source>Скопировать</source>
        <translation>Copy</translation>
    </message>
</context>
<context>
    <name>DealBrowser</name>
    <message>
        <source>Поиск: название, мероприятие, код партнёра, контакт…</source>
        <translation>Search: title, event, partner code, contact…</translation>
    </message>
    <message>
        <source>Стадия</source>
        <translation>Stage</translation>
    </message>
    <message>
        <source>Мероприятие</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>Код партнёра</source>
        <translation>Partner code</translation>
    </message>
    <message>
        <source>Комплектность</source>
        <translation>Completeness</translation>
    </message>
    <message>
        <source>Все стадии</source>
        <translation>All stages</translation>
    </message>
    <message>
        <source>Все мероприятия</source>
        <translation>All events</translation>
    </message>
    <message>
        <source>Все партнёры</source>
        <translation>All partners</translation>
    </message>
    <message>
        <source>Любая комплектность</source>
        <translation>Any completeness</translation>
    </message>
    <message>
        <source>Сделок: {shown} из {total}</source>
        <translation>Deals: {shown} of {total}</translation>
    </message>
</context>
<context>
    <name>DealEditor</name>
    <message>
        <source>ДД.ММ.ГГГГ</source>
        <translation>DD.MM.YYYY</translation>
    </message>
    <message>
        <source>Код партнёра</source>
        <translation>Partner code</translation>
    </message>
    <message>
        <source>Название мероприятия</source>
        <translation>Event name</translation>
    </message>
    <message>
        <source>Код мероприятия</source>
        <translation>Event code</translation>
    </message>
    <message>
        <source>Тип программы</source>
        <translation>Programme type</translation>
    </message>
    <message>
        <source>Часов</source>
        <translation>Hours</translation>
    </message>
    <message>
        <source>Дата начала</source>
        <translation>Start date</translation>
    </message>
    <message>
        <source>Дата окончания</source>
        <translation>End date</translation>
    </message>
    <message>
        <source>Сохранить</source>
        <translation>Save</translation>
    </message>
    <message>
        <source>Отмена</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Нужно целое число часов больше нуля</source>
        <translation>A whole number of hours above zero is needed</translation>
    </message>
    <message>
        <source>Для {programme} не меньше {least} часов (Приказ № 499)</source>
        <translation>A {programme} programme needs at least {least} hours (Order No. 499)</translation>
    </message>
    <message>
        <source>Окончание раньше начала ({start})</source>
        <translation>The end is before the start ({start})</translation>
    </message>
</context>
<context>
    <name>DealRow</name>
    <message>
        <source>нет участников</source>
        <translation>no participants</translation>
    </message>
    <message>
        <source>{complete} из {participants} полных</source>
        <translation>{complete} of {participants} complete</translation>
    </message>
</context>
<context>
    <name>DealView</name>
    <message>
        <source>ПК — повышение квалификации</source>
        <translation>PK — advanced training</translation>
    </message>
    <message>
        <source>ПП — профессиональная переподготовка</source>
        <translation>PP — professional retraining</translation>
    </message>
    <message>
        <source>Сделка</source>
        <translation>Deal</translation>
    </message>
    <message>
        <source>Стадия</source>
        <translation>Stage</translation>
    </message>
    <message>
        <source>Мероприятие</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>Код партнёра</source>
        <translation>Partner code</translation>
    </message>
    <message>
        <source>Тип программы</source>
        <translation>Programme type</translation>
    </message>
    <message>
        <source>Часов</source>
        <translation>Hours</translation>
    </message>
    <message>
        <source>Сроки обучения</source>
        <translation>Training dates</translation>
    </message>
    <message>
        <source>Клиент</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Ответственный клиента</source>
        <translation>Client&apos;s contact person</translation>
    </message>
    <message>
        <source>Не длиннее {limit} знаков</source>
        <translation>No longer than {limit} characters</translation>
    </message>
    <message>
        <source>← Назад</source>
        <translation>← Back</translation>
    </message>
    <message>
        <source>Изменить</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>Данные для ФИС ФРДО…</source>
        <translation>FIS FRDO data…</translation>
    </message>
    <message>
        <source>Программа, как её называет ФИС ФРДО: область, квалификация, формы</source>
        <translation>The programme as FIS FRDO names it: field, qualification, forms</translation>
    </message>
    <message>
        <source>Удалить локальные копии</source>
        <translation>Delete local copies</translation>
    </message>
    <message>
        <source>Удалить с компьютера копии документов сделки, выложенных на портал</source>
        <translation>Delete from this computer the copies of the deal&apos;s documents that are on the portal</translation>
    </message>
    <message>
        <source>Выберите участника, чтобы увидеть его документы</source>
        <translation>Select a participant to see their documents</translation>
    </message>
    <message>
        <source>Участники</source>
        <translation>Participants</translation>
    </message>
    <message>
        <source>Документы участника</source>
        <translation>Participant&apos;s documents</translation>
    </message>
    <message>
        <source>Сделки нет в кэше</source>
        <translation>The deal is not in the cache</translation>
    </message>
    <message>
        <source>Изменения сделки ждут отправки</source>
        <translation>The deal&apos;s changes are waiting to be sent</translation>
    </message>
    <message>
        <source>Изменения сделки отправлены на портал</source>
        <translation>The deal&apos;s changes were sent to the portal</translation>
    </message>
</context>
<context>
    <name>DealsModel</name>
    <message>
        <source>Сделка</source>
        <translation>Deal</translation>
    </message>
    <message>
        <source>Стадия</source>
        <translation>Stage</translation>
    </message>
    <message>
        <source>Код мероприятия</source>
        <translation>Event code</translation>
    </message>
    <message>
        <source>Мероприятие</source>
        <translation>Event</translation>
    </message>
    <message>
        <source>Код партнёра</source>
        <translation>Partner code</translation>
    </message>
    <message>
        <source>Компания клиента</source>
        <translation>Client company</translation>
    </message>
    <message>
        <source>Ответственный клиента</source>
        <translation>Client&apos;s contact person</translation>
    </message>
    <message>
        <source>Участники</source>
        <translation>Participants</translation>
    </message>
    <message>
        <source>Комплектность</source>
        <translation>Completeness</translation>
    </message>
    <message>
        <source>Документы собраны</source>
        <translation>Documents complete</translation>
    </message>
    <message>
        <source>Есть недостающие</source>
        <translation>Some missing</translation>
    </message>
    <message>
        <source>Нет участников</source>
        <translation>No participants</translation>
    </message>
    <message>
        <source>Не удалось подсчитать комплектность документов по сделкам</source>
        <translation>Could not count the document completeness of the deals</translation>
    </message>
    <message>
        <source>Комплектность подсчитывается…</source>
        <translation>Counting completeness…</translation>
    </message>
</context>
<context>
    <name>Demo</name>
    <message>
        <source>демо-режим</source>
        <translation>demo mode</translation>
    </message>
</context>
<context>
    <name>DocumentPanel</name>
    <message>
        <source>Выберите участника</source>
        <translation>Select a participant</translation>
    </message>
    <message>
        <source>Комментарий (для отклонения — причина)</source>
        <translation>Comment (for a rejection, the reason)</translation>
    </message>
    <message>
        <source>Открыть</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Проверен</source>
        <translation>Checked</translation>
    </message>
    <message>
        <source>Отклонить</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>Изменить тип…</source>
        <translation>Change type…</translation>
    </message>
    <message>
        <source>Выберите документ, чтобы увидеть его</source>
        <translation>Select a document to see it</translation>
    </message>
    <message>
        <source>Все документы сделки «{title}»</source>
        <translation>All documents of the deal “{title}”</translation>
    </message>
    <message>
        <source>Локальная копия удалена после выкладки: файл — в папке участника на портале</source>
        <translation>The local copy was deleted after the push: the file is in the participant&apos;s folder on the portal</translation>
    </message>
    <message>
        <source>Файл документа загружается с портала…</source>
        <translation>Downloading the document&apos;s file from the portal…</translation>
    </message>
    <message>
        <source>портал недоступен</source>
        <translation>the portal is unavailable</translation>
    </message>
    <message>
        <source>Файл не получен: {reason}</source>
        <translation>The file was not received: {reason}</translation>
    </message>
    <message>
        <source>Файл документа ещё не получен с портала</source>
        <translation>The document&apos;s file has not been received from the portal yet</translation>
    </message>
    <message>
        <source>Для внешней программы просмотра файл расшифрован в папку, доступную только вам; эта копия удаляется при выходе из программы</source>
        <translation>For the external viewer the file was decrypted into a folder only you can read; this copy is deleted when the program exits</translation>
    </message>
    <message>
        <source>Сначала выберите сделку: файлам нужно знать, чьи они</source>
        <translation>Select a deal first: the files need to know whose they are</translation>
    </message>
    <message>
        <source>Документ ещё не загружен на портал: статус пока не поставить</source>
        <translation>The document is not on the portal yet: its status cannot be set for now</translation>
    </message>
    <message>
        <source>Укажите в комментарии, почему документ отклонён</source>
        <translation>Say in the comment why the document is rejected</translation>
    </message>
    <message>
        <source>Документ ещё не загружен на портал: тип пока не изменить</source>
        <translation>The document is not on the portal yet: its type cannot be changed for now</translation>
    </message>
    <message>
        <source>У документа уже тип «{title}»</source>
        <translation>The document already has the type “{title}”</translation>
    </message>
</context>
<context>
    <name>DocumentsModel</name>
    <message>
        <source>Тип</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Файл</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Получен</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Статус</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>Duplicates</name>
    <message>
        <source>Привязать имеющийся</source>
        <translation>Link the existing one</translation>
    </message>
    <message>
        <source>Загрузить ещё раз</source>
        <translation>Upload again</translation>
    </message>
    <message>
        <source>Пропустить</source>
        <translation>Skip</translation>
    </message>
    <message>
        <source>Готово</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>Отложить</source>
        <translation>Later</translation>
    </message>
</context>
<context>
    <name>DuplicatesDialog</name>
    <message>
        <source>Такие документы уже есть</source>
        <translation>These documents already exist</translation>
    </message>
    <message>
        <source>Файл</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Уже есть</source>
        <translation>Already there</translation>
    </message>
    <message>
        <source>Что сделать</source>
        <translation>What to do</translation>
    </message>
    <message>
        <source>Применить ко всем</source>
        <translation>Apply to all</translation>
    </message>
    <message>
        <source>У этих людей уже есть документы с таким же содержимым.</source>
        <translation>These people already have documents with the same content.</translation>
    </message>
</context>
<context>
    <name>FrdoDialog</name>
    <message>
        <source>Выгрузка в ФИС ФРДО</source>
        <translation>FIS FRDO export</translation>
    </message>
    <message>
        <source>Проверить</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Выгрузить в Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <source>Закрыть</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Двойной щелчок открывает участника, чтобы исправить данные</source>
        <translation>A double click opens the participant to correct the data</translation>
    </message>
    <message>
        <source>Что выгрузить:</source>
        <translation>What to export:</translation>
    </message>
    <message>
        <source>Сделка: %1</source>
        <translation>Deal: %1</translation>
    </message>
    <message>
        <source>Мероприятие сделки: %1</source>
        <translation>The deal&apos;s event: %1</translation>
    </message>
    <message>
        <source>В кэше нет мероприятий: выполните синхронизацию</source>
        <translation>There are no events in the cache: run a sync</translation>
    </message>
    <message>
        <source>Проверка…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Проверка не удалась: %1</source>
        <translation>The check failed: %1</translation>
    </message>
    <message>
        <source> Без выданного документа: %1 (не выгружаются).</source>
        <translation> Without an issued document: %1 (not exported).</translation>
    </message>
    <message>
        <source>Выданных документов нет: выгружать нечего.</source>
        <translation>There are no issued documents: nothing to export.</translation>
    </message>
    <message>
        <source>Ошибок: %1 в %2 строках из %3. Исправьте их — двойной щелчок по ошибке открывает участника; книга выгружается, когда ошибок нет.</source>
        <translation>Errors: %1 in %2 of %3 rows. Correct them — a double click on an error opens the participant; the workbook is exported once there are no errors.</translation>
    </message>
    <message>
        <source>Ошибок нет: строк к выгрузке %1.</source>
        <translation>No errors: %1 rows to export.</translation>
    </message>
    <message>
        <source>сделка %1</source>
        <translation>deal %1</translation>
    </message>
    <message>
        <source>ФИС ФРДО %1 %2.xlsx</source>
        <translation>FIS FRDO %1 %2.xlsx</translation>
    </message>
    <message>
        <source>Книга Excel (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>Выгрузка…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <source>Книга не записана: %1</source>
        <translation>The workbook was not written: %1</translation>
    </message>
    <message>
        <source>Не удалось записать %1: %2</source>
        <translation>Could not write %1: %2</translation>
    </message>
    <message>
        <source>Выгружено строк: %1 в %2</source>
        <translation>Rows exported: %1 to %2</translation>
    </message>
    <message>
        <source>Выгрузка в ФИС ФРДО сохранена: %1</source>
        <translation>FIS FRDO export saved: %1</translation>
    </message>
</context>
<context>
    <name>FrdoProblemsModel</name>
    <message>
        <source>Участник</source>
        <translation>Participant</translation>
    </message>
    <message>
        <source>Столбец</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>Что не так</source>
        <translation>What is wrong</translation>
    </message>
    <message>
        <source>Как исправить</source>
        <translation>How to fix it</translation>
    </message>
</context>
<context>
    <name>FrdoProgrammeDialog</name>
    <message>
        <source>Год — четыре цифры, от %1 до %2</source>
        <translation>The year is four digits, from %1 to %2</translation>
    </message>
    <message>
        <source>Данные для ФИС ФРДО: %1</source>
        <translation>FIS FRDO data: %1</translation>
    </message>
    <message>
        <source>для переподготовки</source>
        <translation>for retraining</translation>
    </message>
    <message>
        <source>Наименование программы</source>
        <translation>Programme name</translation>
    </message>
    <message>
        <source>Область профессиональной деятельности</source>
        <translation>Field of professional activity</translation>
    </message>
    <message>
        <source>Укрупнённая группа специальностей</source>
        <translation>Enlarged group of specialties</translation>
    </message>
    <message>
        <source>Квалификация</source>
        <translation>Qualification</translation>
    </message>
    <message>
        <source>Год начала обучения</source>
        <translation>Year studies began</translation>
    </message>
    <message>
        <source>Год окончания обучения</source>
        <translation>Year studies ended</translation>
    </message>
    <message>
        <source>Форма обучения</source>
        <translation>Mode of study</translation>
    </message>
    <message>
        <source>Источник финансирования</source>
        <translation>Source of funding</translation>
    </message>
    <message>
        <source>Форма получения образования</source>
        <translation>Form of education</translation>
    </message>
</context>
<context>
    <name>GeneralTab</name>
    <message>
        <source> мин</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Язык сменится при следующем запуске программы.</source>
        <translation>The language changes when the program next starts.</translation>
    </message>
    <message>
        <source>Фоновая синхронизация каждые:</source>
        <translation>Background sync every:</translation>
    </message>
    <message>
        <source>Подробность журнала:</source>
        <translation>Log detail:</translation>
    </message>
    <message>
        <source>Язык интерфейса:</source>
        <translation>Interface language:</translation>
    </message>
</context>
<context>
    <name>IssuedDocumentDialog</name>
    <message>
        <source>Часы — целое число от 1 до 9999</source>
        <translation>Hours are a whole number from 1 to 9999</translation>
    </message>
    <message>
        <source>Выданный документ: %1</source>
        <translation>Issued document: %1</translation>
    </message>
    <message>
        <source>как в сделке</source>
        <translation>as in the deal</translation>
    </message>
    <message>
        <source>Документ</source>
        <translation>Document</translation>
    </message>
    <message>
        <source>Вид документа</source>
        <translation>Document kind</translation>
    </message>
    <message>
        <source>Серия</source>
        <translation>Series</translation>
    </message>
    <message>
        <source>Номер</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>Регистрационный номер</source>
        <translation>Registration number</translation>
    </message>
    <message>
        <source>Дата выдачи</source>
        <translation>Issue date</translation>
    </message>
    <message>
        <source>Статус</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Подтверждение утраты</source>
        <translation>Confirmation of loss</translation>
    </message>
    <message>
        <source>Подтверждение обмена</source>
        <translation>Confirmation of exchange</translation>
    </message>
    <message>
        <source>Подтверждение уничтожения</source>
        <translation>Confirmation of destruction</translation>
    </message>
    <message>
        <source>Оригинал (для дубликата или обмена)</source>
        <translation>Original (for a duplicate or an exchange)</translation>
    </message>
    <message>
        <source>Фамилия</source>
        <translation>Surname</translation>
    </message>
    <message>
        <source>Имя</source>
        <translation>First name</translation>
    </message>
    <message>
        <source>Отчество</source>
        <translation>Patronymic</translation>
    </message>
    <message>
        <source>Номер документа для изменения</source>
        <translation>Number of the document being changed</translation>
    </message>
    <message>
        <source>Программа для этого участника (если не как в сделке)</source>
        <translation>This participant&apos;s programme (if not as in the deal)</translation>
    </message>
    <message>
        <source>Наименование программы</source>
        <translation>Programme name</translation>
    </message>
    <message>
        <source>Квалификация</source>
        <translation>Qualification</translation>
    </message>
    <message>
        <source>Часов</source>
        <translation>Hours</translation>
    </message>
    <message>
        <source>ДД.ММ.ГГГГ</source>
        <translation>DD.MM.YYYY</translation>
    </message>
    <message>
        <source>Участник ещё не отправлен на портал: дождитесь синхронизации</source>
        <translation>The participant is not on the portal yet: wait for the sync</translation>
    </message>
    <message>
        <source>Выданный документ отправлен на портал</source>
        <translation>The issued document was sent to the portal</translation>
    </message>
</context>
<context>
    <name>LocalWipe</name>
    <message>
        <source>Удалить с этого компьютера копии документов участников сделки {deal}?

Сначала на портале будет проверено, что каждый документ лежит в папке участника. Удаление записывается в журнал доступа к ПД.</source>
        <translation>Delete from this computer the copies of the documents of deal {deal}&apos;s participants?

First the portal is checked to hold every document in the participant&apos;s folder. The deletion is recorded in the personal data access log.</translation>
    </message>
    <message>
        <source>Локальные копии удалены: документов {documents}, файлов {files}; выкладка на портал проверена</source>
        <translation>Local copies deleted: {documents} documents, {files} files; their presence on the portal was verified</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>DPO Desk — демо</source>
        <translation>DPO Desk — demo</translation>
    </message>
    <message>
        <source>Кэш создан заново: %1</source>
        <translation>The cache was created anew: %1</translation>
    </message>
    <message>
        <source>Синхронизировать</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>Обменяться данными с порталом</source>
        <translation>Exchange data with the portal</translation>
    </message>
    <message>
        <source>Выход</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Найти сделку</source>
        <translation>Find deal</translation>
    </message>
    <message>
        <source>Открыть сделку</source>
        <translation>Open deal</translation>
    </message>
    <message>
        <source>К списку сделок</source>
        <translation>Back to deals</translation>
    </message>
    <message>
        <source>Новый участник…</source>
        <translation>New participant…</translation>
    </message>
    <message>
        <source>Загрузить документы…</source>
        <translation>Upload documents…</translation>
    </message>
    <message>
        <source>Выгрузка в ФИС ФРДО…</source>
        <translation>FIS FRDO export…</translation>
    </message>
    <message>
        <source>Проверить выданные документы и выгрузить книгу для ФИС ФРДО</source>
        <translation>Check the issued documents and export the workbook for FIS FRDO</translation>
    </message>
    <message>
        <source>О программе</source>
        <translation>About</translation>
    </message>
    <message>
        <source>&amp;Файл</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;Правка</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <source>&amp;Вид</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Сделки</source>
        <translation>&amp;Deals</translation>
    </message>
    <message>
        <source>&amp;Документы</source>
        <translation>D&amp;ocuments</translation>
    </message>
    <message>
        <source>Спр&amp;авка</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>DPO Desk {version}
Документы участников ДПО на портале Битрикс24.</source>
        <translation>DPO Desk {version}
Participants&apos; documents for continuing professional education on a Bitrix24 portal.</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <source>Схема ДПО на портале</source>
        <translation>The DPO schema on the portal</translation>
    </message>
    <message>
        <source>Воронка, поля сделок и контактов, списки участников и документов.</source>
        <translation>The pipeline, deal and contact fields, the participant and document lists.</translation>
    </message>
    <message>
        <source>Создать недостающее</source>
        <translation>Create what is missing</translation>
    </message>
    <message>
        <source>Создать воронку, поля и списки (нужны права администратора портала)</source>
        <translation>Create the pipeline, fields and lists (needs the portal administrator&apos;s rights)</translation>
    </message>
    <message>
        <source>Создаю на портале недостающее…</source>
        <translation>Creating what is missing on the portal…</translation>
    </message>
</context>
<context>
    <name>MessageBanner</name>
    <message>
        <source>Скрыть сообщение</source>
        <translation>Hide the message</translation>
    </message>
</context>
<context>
    <name>Participants</name>
    <message>
        <source> — похожий контакт уже есть (№ {ids})</source>
        <translation> — a similar contact already exists (No. {ids})</translation>
    </message>
    <message>
        <source> — уже участник</source>
        <translation> — already a participant</translation>
    </message>
    <message>
        <source>Нет связи с порталом: изменения сохранены и ждут отправки</source>
        <translation>No connection to the portal: the changes are saved and waiting to be sent</translation>
    </message>
    <message>
        <source>Удаление уже отправлено на портал; добавьте участника заново</source>
        <translation>The removal was already sent to the portal; add the participant again</translation>
    </message>
</context>
<context>
    <name>ParticipantsModel</name>
    <message>
        <source>ФИО</source>
        <translation>Full name</translation>
    </message>
    <message>
        <source>Дата рождения</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>СНИЛС</source>
        <translation>SNILS</translation>
    </message>
    <message>
        <source>Телефон</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Эл. почта</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Документы</source>
        <translation>Documents</translation>
    </message>
    <message>
        <source>Отправка</source>
        <translation>Sending</translation>
    </message>
    <message>
        <source>полный</source>
        <translation>complete</translation>
    </message>
    <message>
        <source>частично</source>
        <translation>partial</translation>
    </message>
    <message>
        <source>нет</source>
        <translation>none</translation>
    </message>
    <message>
        <source>ждёт отправки</source>
        <translation>waiting to be sent</translation>
    </message>
    <message>
        <source>Изменение сохранено и будет отправлено на портал при следующей синхронизации</source>
        <translation>The change is saved and will be sent to the portal at the next sync</translation>
    </message>
</context>
<context>
    <name>ParticipantsView</name>
    <message>
        <source>Новый контакт…</source>
        <translation>New contact…</translation>
    </message>
    <message>
        <source>Вставить из Excel</source>
        <translation>Paste from Excel</translation>
    </message>
    <message>
        <source>Данные из документов…</source>
        <translation>Data from documents…</translation>
    </message>
    <message>
        <source>Убрать из сделки</source>
        <translation>Remove from deal</translation>
    </message>
    <message>
        <source>Отменить удаление</source>
        <translation>Undo removal</translation>
    </message>
    <message>
        <source>Выданный документ…</source>
        <translation>Issued document…</translation>
    </message>
    <message>
        <source>Удостоверение или диплом участника и данные для ФИС ФРДО</source>
        <translation>The participant&apos;s certificate or diploma and the data for FIS FRDO</translation>
    </message>
    <message>
        <source>Добавлено участников: {added}</source>
        <translation>Participants added: {added}</translation>
    </message>
    <message>
        <source>В буфере обмена нет строк с людьми (ожидаются столбцы из Excel)</source>
        <translation>The clipboard holds no rows of people (columns copied from Excel are expected)</translation>
    </message>
    <message>
        <source>Контакт ещё не отправлен на портал: дождитесь синхронизации</source>
        <translation>The contact is not on the portal yet: wait for the sync</translation>
    </message>
    <message>
        <source>Данные контакта отправлены на портал</source>
        <translation>The contact&apos;s data was sent to the portal</translation>
    </message>
    <message>
        <source>Участник убран из сделки; до синхронизации это можно отменить</source>
        <translation>The participant was removed from the deal; this can be undone until the sync</translation>
    </message>
</context>
<context>
    <name>PastePeople</name>
    <message>
        <source>Фамилия</source>
        <translation>Surname</translation>
    </message>
    <message>
        <source>Имя</source>
        <translation>First name</translation>
    </message>
    <message>
        <source>Отчество</source>
        <translation>Patronymic</translation>
    </message>
    <message>
        <source>Дата рождения</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>Телефон</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>Эл. почта</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>СНИЛС</source>
        <translation>SNILS</translation>
    </message>
    <message>
        <source>{field}: не указано</source>
        <translation>{field}: missing</translation>
    </message>
</context>
<context>
    <name>PastePeopleDialog</name>
    <message>
        <source>Участники из буфера обмена</source>
        <translation>Participants from the clipboard</translation>
    </message>
    <message>
        <source>Проверка</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>верно</source>
        <translation>valid</translation>
    </message>
    <message>
        <source>Можно добавить: {valid} из {total}</source>
        <translation>Can be added: {valid} of {total}</translation>
    </message>
    <message>
        <source>Добавить</source>
        <translation>Add</translation>
    </message>
    <message>
        <source>Отмена</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>Plans</name>
    <message>
        <source>Обычный тариф (2 запроса в секунду)</source>
        <translation>Standard plan (2 requests per second)</translation>
    </message>
    <message>
        <source>Энтерпрайз (5 запросов в секунду)</source>
        <translation>Enterprise (5 requests per second)</translation>
    </message>
    <message>
        <source>Без ограничения (коробочная версия)</source>
        <translation>No limit (self-hosted edition)</translation>
    </message>
</context>
<context>
    <name>PreviewWidget</name>
    <message>
        <source>Выберите документ, чтобы увидеть его</source>
        <translation>Select a document to see it</translation>
    </message>
    <message>
        <source>Готовится просмотр…</source>
        <translation>Preparing the preview…</translation>
    </message>
</context>
<context>
    <name>PushAuto</name>
    <message>
        <source>когда комплект полный</source>
        <translation>when the set is complete</translation>
    </message>
    <message>
        <source>когда сделка на стадии …</source>
        <translation>when the deal is at stage …</translation>
    </message>
    <message>
        <source>Автоматически: когда комплект документов участника полный</source>
        <translation>Automatically: when a participant&apos;s document set is complete</translation>
    </message>
    <message>
        <source>Автоматически: когда сделка на стадии {names}</source>
        <translation>Automatically: when the deal is at stage {names}</translation>
    </message>
    <message>
        <source>Автоматическая выгрузка выключена: только вручную</source>
        <translation>Automatic push is off: manual only</translation>
    </message>
</context>
<context>
    <name>PushDialog</name>
    <message>
        <source>бизнес-процесс запущен: {started}</source>
        <translation>business process started: {started}</translation>
    </message>
    <message>
        <source>скопировано файлов: {copied}, без изменений: {skipped}</source>
        <translation>files copied: {copied}, unchanged: {skipped}</translation>
    </message>
    <message>
        <source>ничего не скопировано — всё уже на месте</source>
        <translation>nothing copied — everything is already there</translation>
    </message>
    <message>
        <source>проблем: {problems}</source>
        <translation>problems: {problems}</translation>
    </message>
    <message>
        <source>Готово: </source>
        <translation>Done: </translation>
    </message>
    <message>
        <source>Выгрузить папку на Диск портала</source>
        <translation>Push the folder to the portal&apos;s Drive</translation>
    </message>
    <message>
        <source>Копирует бизнес-процесс портала (шаблон {template}), а не программа</source>
        <translation>The portal&apos;s business process (template {template}) does the copying, not the program</translation>
    </message>
    <message>
        <source>%v из %m участников</source>
        <translation>%v of %m participants</translation>
    </message>
    <message>
        <source>Выгрузить</source>
        <translation>Push</translation>
    </message>
    <message>
        <source>Остановить</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Закрыть</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Выгружать некого: в сделке нет участников, записанных на портале</source>
        <translation>Nobody to push: the deal has no participants saved on the portal</translation>
    </message>
    <message>
        <source>Останавливается после текущего участника…</source>
        <translation>Stopping after the current participant…</translation>
    </message>
    <message>
        <source>Выгружается: {who}…</source>
        <translation>Pushing: {who}…</translation>
    </message>
    <message>
        <source>Остановлено: выгружено {done} из {total}</source>
        <translation>Stopped: {done} of {total} pushed</translation>
    </message>
    <message>
        <source>Сделка {deal_id} (бизнес-процесс)</source>
        <translation>Deal {deal_id} (business process)</translation>
    </message>
    <message>
        <source>Контакт {contact_id}</source>
        <translation>Contact {contact_id}</translation>
    </message>
    <message>
        <source>&lt;a href=&quot;{link}&quot;&gt;Открыть папку на портале&lt;/a&gt; — {path}</source>
        <translation>&lt;a href=&quot;{link}&quot;&gt;Open the folder on the portal&lt;/a&gt; — {path}</translation>
    </message>
</context>
<context>
    <name>PushMenu</name>
    <message>
        <source>Выгрузить папку…</source>
        <translation>Push folder…</translation>
    </message>
    <message>
        <source>Выложить документы участника, сделки или мероприятия в папку на Диске портала</source>
        <translation>Put the documents of a participant, a deal or an event into a folder on the portal&apos;s Drive</translation>
    </message>
    <message>
        <source>Выберите сделку в списке или откройте её, затем выгрузите папку</source>
        <translation>Select a deal in the list or open it, then push the folder</translation>
    </message>
</context>
<context>
    <name>PushResultsModel</name>
    <message>
        <source>Участник</source>
        <translation>Participant</translation>
    </message>
    <message>
        <source>Скопировано</source>
        <translation>Copied</translation>
    </message>
    <message>
        <source>Без изменений</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <source>Проблемы</source>
        <translation>Problems</translation>
    </message>
    <message>
        <source>Папка</source>
        <translation>Folder</translation>
    </message>
</context>
<context>
    <name>Review</name>
    <message>
        <source>меньше минуты</source>
        <translation>less than a minute</translation>
    </message>
    <message>
        <source>{minutes} мин</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <source>{hours} ч {rest} мин</source>
        <translation>{hours} h {rest} min</translation>
    </message>
    <message>
        <source>{hours} ч</source>
        <translation>{hours} h</translation>
    </message>
    <message>
        <source>{days} дн.</source>
        <translation>{days} d</translation>
    </message>
    <message>
        <source>Нет связи с порталом, а синхронизации ещё не было: данных нет</source>
        <translation>No connection to the portal and no sync yet: there is no data</translation>
    </message>
    <message>
        <source>Нет связи с порталом: показаны данные кэша ({last_sync})</source>
        <translation>No connection to the portal: showing cached data ({last_sync})</translation>
    </message>
    <message>
        <source>Нет связи с порталом: показаны данные кэша от {strftime} ({age_text} назад)</source>
        <translation>No connection to the portal: showing cached data from {strftime} ({age_text} ago)</translation>
    </message>
    <message>
        <source>Проверка документов</source>
        <translation>Document review</translation>
    </message>
    <message>
        <source>Кто из участников не сдал какие документы — по всем сделкам</source>
        <translation>Which participants have not handed in which documents — across all deals</translation>
    </message>
</context>
<context>
    <name>ReviewFilterBar</name>
    <message>
        <source>Все мероприятия</source>
        <translation>All events</translation>
    </message>
    <message>
        <source>Все сделки</source>
        <translation>All deals</translation>
    </message>
    <message>
        <source>Все стадии</source>
        <translation>All stages</translation>
    </message>
    <message>
        <source>Все компании</source>
        <translation>All companies</translation>
    </message>
    <message>
        <source>Все партнёры</source>
        <translation>All partners</translation>
    </message>
    <message>
        <source>Все менеджеры</source>
        <translation>All managers</translation>
    </message>
    <message>
        <source>Любой документ</source>
        <translation>Any document</translation>
    </message>
    <message>
        <source>Любая полнота</source>
        <translation>Any completeness</translation>
    </message>
    <message>
        <source>Сохранить вид…</source>
        <translation>Save view…</translation>
    </message>
    <message>
        <source>Вид:</source>
        <translation>View:</translation>
    </message>
    <message>
        <source>Поиск: участник, сделка, мероприятие, компания, партнёр</source>
        <translation>Search: participant, deal, event, company, partner</translation>
    </message>
    <message>
        <source>Менеджер #{user}</source>
        <translation>Manager #{user}</translation>
    </message>
    <message>
        <source>Вид «{name}» сохранён</source>
        <translation>View “{name}” saved</translation>
    </message>
    <message>
        <source>— выберите вид —</source>
        <translation>— choose a view —</translation>
    </message>
    <message>
        <source>Сохранить вид</source>
        <translation>Save view</translation>
    </message>
    <message>
        <source>Название вида:</source>
        <translation>View name:</translation>
    </message>
</context>
<context>
    <name>ReviewModel</name>
    <message>
        <source>Сделка</source>
        <translation>Deal</translation>
    </message>
    <message>
        <source>Код мероприятия</source>
        <translation>Event code</translation>
    </message>
    <message>
        <source>Компания клиента</source>
        <translation>Client company</translation>
    </message>
    <message>
        <source>Код партнёра</source>
        <translation>Partner code</translation>
    </message>
    <message>
        <source>Участник</source>
        <translation>Participant</translation>
    </message>
    <message>
        <source>Не хватает</source>
        <translation>Missing</translation>
    </message>
    <message>
        <source>Статус</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>собраны</source>
        <translation>complete</translation>
    </message>
    <message>
        <source>частично</source>
        <translation>partial</translation>
    </message>
    <message>
        <source>нет ни одного</source>
        <translation>none at all</translation>
    </message>
</context>
<context>
    <name>ReviewOutput</name>
    <message>
        <source>Недостающие документы {now:%Y-%m-%d}.xlsx</source>
        <translation>Missing documents {now:%Y-%m-%d}.xlsx</translation>
    </message>
    <message numerus="yes">
        <source>Недостающие документы на {now:%d.%m.%Y %H:%M}: %n участников</source>
        <translation>
            <numerusform>Missing documents as of {now:%d.%m.%Y %H:%M}: %n participant</numerusform>
            <numerusform>Missing documents as of {now:%d.%m.%Y %H:%M}: %n participants</numerusform>
        </translation>
    </message>
    <message>
        <source>Текст письма скопирован в буфер обмена</source>
        <translation>The letter text was copied to the clipboard</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <source>К списку сделок</source>
        <translation>Back to deals</translation>
    </message>
    <message>
        <source>&lt;b&gt;Проверка документов&lt;/b&gt;</source>
        <translation>&lt;b&gt;Document review&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Экспорт в Excel…</source>
        <translation>Export to Excel…</translation>
    </message>
    <message>
        <source>Текст письма</source>
        <translation>Letter text</translation>
    </message>
    <message>
        <source>Скопировать в буфер обмена письмо ответственному клиента: кому чего не хватает</source>
        <translation>Copy a letter to the client&apos;s contact person to the clipboard: who is missing what</translation>
    </message>
    <message>
        <source>Полнота документов</source>
        <translation>Document completeness</translation>
    </message>
    <message>
        <source>Не хватает, по видам документов</source>
        <translation>Missing, by document type</translation>
    </message>
    <message>
        <source>Показано участников: {shown} из {total}</source>
        <translation>Participants shown: {shown} of {total}</translation>
    </message>
    <message>
        <source>Экспорт в Excel</source>
        <translation>Export to Excel</translation>
    </message>
    <message>
        <source>Книга Excel (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <source>Не удалось сохранить отчёт в {path}: {reason}</source>
        <translation>Could not save the report to {path}: {reason}</translation>
    </message>
    <message>
        <source>Отчёт сохранён: {path}</source>
        <translation>Report saved: {path}</translation>
    </message>
</context>
<context>
    <name>RulesTab</name>
    <message>
        <source>стандартные правила</source>
        <translation>standard rules</translation>
    </message>
    <message>
        <source>Обзор…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Проверить</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Файл правил обязательных документов (JSON); действует после перезапуска.</source>
        <translation>A rules file for required documents (JSON); takes effect after a restart.</translation>
    </message>
    <message>
        <source>Файл правил</source>
        <translation>Rules file</translation>
    </message>
    <message>
        <source>JSON (*.json);;Все файлы (*)</source>
        <translation>JSON (*.json);;All files (*)</translation>
    </message>
    <message>
        <source>Используются стандартные правила.</source>
        <translation>The standard rules are in use.</translation>
    </message>
    <message>
        <source>Файл правил в порядке.</source>
        <translation>The rules file is fine.</translation>
    </message>
</context>
<context>
    <name>SavePage</name>
    <message>
        <source>Сохранение профиля</source>
        <translation>Save the profile</translation>
    </message>
    <message>
        <source>сохранить в файле (небезопасно)</source>
        <translation>save in a file (not secure)</translation>
    </message>
    <message>
        <source>Имя профиля:</source>
        <translation>Profile name:</translation>
    </message>
    <message>
        <source>Вебхук будет сохранён в системном хранилище паролей.</source>
        <translation>The webhook will be saved in the system&apos;s password store.</translation>
    </message>
    <message>
        <source>в системе нет хранилища паролей</source>
        <translation>the system has no password store</translation>
    </message>
    <message>
        <source>Системное хранилище паролей недоступно ({reason}). Вебхук будет храниться только до закрытия программы, и при следующем запуске его придётся вставить снова — или отметьте сохранение в файле: тогда его сможет прочитать любой, у кого есть доступ к вашей папке настроек.</source>
        <translation>The system&apos;s password store is unavailable ({reason}). The webhook will be kept only until the program closes, and you will have to paste it again at the next start — or tick saving to a file: then anyone with access to your settings folder can read it.</translation>
    </message>
</context>
<context>
    <name>ScopeBox</name>
    <message>
        <source>Что выгрузить</source>
        <translation>What to push</translation>
    </message>
    <message>
        <source>участник не выбран</source>
        <translation>no participant selected</translation>
    </message>
    <message>
        <source>сделка {deal_id}</source>
        <translation>deal {deal_id}</translation>
    </message>
    <message>
        <source>Участник: {who}</source>
        <translation>Participant: {who}</translation>
    </message>
    <message>
        <source>Сделка: {deal_title}</source>
        <translation>Deal: {deal_title}</translation>
    </message>
    <message>
        <source>код не указан</source>
        <translation>no code given</translation>
    </message>
    <message>
        <source>Мероприятие: {event}</source>
        <translation>Event: {event}</translation>
    </message>
</context>
<context>
    <name>Screenshots</name>
    <message>
        <source>не удалось записать {path}</source>
        <translation>could not write {path}</translation>
    </message>
</context>
<context>
    <name>Settings</name>
    <message>
        <source>Кэш профиля «{profile}» сейчас открыт программой. Закройте программу и откройте её с другим профилем, чтобы очистить его.</source>
        <translation>The cache of profile “{profile}” is open in the program now. Close the program and open it with another profile to clear it.</translation>
    </message>
    <message>
        <source>Кэш профиля «{profile}» уже пуст.</source>
        <translation>The cache of profile “{profile}” is already empty.</translation>
    </message>
    <message>
        <source>Кэш профиля «{profile}» удалён: при следующем открытии данные загрузятся с портала заново.</source>
        <translation>The cache of profile “{profile}” was deleted: the data will be loaded from the portal again next time.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Настройки</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Профили</source>
        <translation>Profiles</translation>
    </message>
    <message>
        <source>Общие</source>
        <translation>General</translation>
    </message>
    <message>
        <source>Выгрузка в папки</source>
        <translation>Folder push</translation>
    </message>
    <message>
        <source>Правила документов</source>
        <translation>Document rules</translation>
    </message>
    <message>
        <source>Добавить…</source>
        <translation>Add…</translation>
    </message>
    <message>
        <source>Удалить</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Сделать активным</source>
        <translation>Make active</translation>
    </message>
    <message>
        <source>Очистить кэш</source>
        <translation>Clear cache</translation>
    </message>
    <message>
        <source>Тариф портала:</source>
        <translation>Portal plan:</translation>
    </message>
    <message>
        <source>Кэш:</source>
        <translation>Cache:</translation>
    </message>
    <message>
        <source>выгружать папку участника, когда комплект документов собран</source>
        <translation>push a participant&apos;s folder when the document set is complete</translation>
    </message>
    <message>
        <source>Путь папки:</source>
        <translation>Folder path:</translation>
    </message>
    <message>
        <source>Выгружать, когда сделка на стадии:</source>
        <translation>Push when the deal is at stage:</translation>
    </message>
    <message>
        <source> (активный)</source>
        <translation> (active)</translation>
    </message>
    <message>
        <source>Профиль «{name}», путь папки: {reason}</source>
        <translation>Profile “{name}”, folder path: {reason}</translation>
    </message>
    <message>
        <source>Удалить профиль «{name}» и его вебхук? Кэш останется на диске.</source>
        <translation>Delete profile “{name}” and its webhook? The cache stays on disk.</translation>
    </message>
    <message>
        <source>Профиль «{name}» удалён.</source>
        <translation>Profile “{name}” deleted.</translation>
    </message>
    <message>
        <source>Профиль «{name}» откроется при следующем запуске.</source>
        <translation>Profile “{name}” will open at the next start.</translation>
    </message>
    <message>
        <source>Удалить кэш профиля «{name}»? Данные загрузятся с портала заново; неотправленные изменения пропадут.</source>
        <translation>Delete the cache of profile “{name}”? The data will be loaded from the portal again; unsent changes will be lost.</translation>
    </message>
    <message>
        <source>Настройки сохранены.</source>
        <translation>Settings saved.</translation>
    </message>
</context>
<context>
    <name>SettingsMenu</name>
    <message>
        <source>Настройки…</source>
        <translation>Settings…</translation>
    </message>
    <message>
        <source>Подключение к порталу…</source>
        <translation>Connect to portal…</translation>
    </message>
    <message>
        <source>Профиль «{name}» сохранён и станет активным при следующем запуске программы.</source>
        <translation>Profile “{name}” is saved and becomes active when the program next starts.</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>никогда</source>
        <translation>never</translation>
    </message>
</context>
<context>
    <name>StatusArea</name>
    <message>
        <source>Портал: {portal}</source>
        <translation>Portal: {portal}</translation>
    </message>
    <message>
        <source>Синхронизация: {synced}</source>
        <translation>Sync: {synced}</translation>
    </message>
    <message>
        <source>Нет связи с порталом</source>
        <translation>No connection to the portal</translation>
    </message>
    <message>
        <source>Данные кэша от: {synced}</source>
        <translation>Cached data from: {synced}</translation>
    </message>
    <message>
        <source>Ждут отправки: {pending}</source>
        <translation>Waiting to be sent: {pending}</translation>
    </message>
    <message>
        <source>Загрузки: {count}</source>
        <translation>Uploads: {count}</translation>
    </message>
</context>
<context>
    <name>ThumbnailCache</name>
    <message>
        <source>Файла {name} нет</source>
        <translation>The file {name} does not exist</translation>
    </message>
    <message>
        <source>Не удалось показать файл: он повреждён или в неизвестном формате</source>
        <translation>Could not show the file: it is damaged or in an unknown format</translation>
    </message>
</context>
<context>
    <name>UploadList</name>
    <message>
        <source>Дубликаты…</source>
        <translation>Duplicates…</translation>
    </message>
    <message>
        <source>Уточнить…</source>
        <translation>Clarify…</translation>
    </message>
    <message>
        <source>Повторить</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>Отменить</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Перетащите файлы на панель, на строку списка или на документ</source>
        <translation>Drop files on the panel, on a row of the list or on a document</translation>
    </message>
    <message>
        <source>файл из этой же загрузки</source>
        <translation>a file from this same upload</translation>
    </message>
</context>
<context>
    <name>UploadsModel</name>
    <message>
        <source>Файл</source>
        <translation>File</translation>
    </message>
    <message>
        <source>Состояние</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Причина</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Сделка</source>
        <translation>Deal</translation>
    </message>
    <message>
        <source>в очереди</source>
        <translation>queued</translation>
    </message>
    <message>
        <source>проверен</source>
        <translation>checked</translation>
    </message>
    <message>
        <source>распознан</source>
        <translation>recognised</translation>
    </message>
    <message>
        <source>загружается</source>
        <translation>uploading</translation>
    </message>
    <message>
        <source>загружен</source>
        <translation>uploaded</translation>
    </message>
    <message>
        <source>ошибка</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>дубликат</source>
        <translation>duplicate</translation>
    </message>
    <message>
        <source>требует внимания</source>
        <translation>needs attention</translation>
    </message>
    <message>
        <source>отменён</source>
        <translation>cancelled</translation>
    </message>
</context>
<context>
    <name>UploadsView</name>
    <message>
        <source>Очередь загрузки</source>
        <translation>Upload queue</translation>
    </message>
    <message>
        <source>ГБ</source>
        <translation>GB</translation>
    </message>
    <message>
        <source>МБ</source>
        <translation>MB</translation>
    </message>
    <message>
        <source>КБ</source>
        <translation>KB</translation>
    </message>
    <message>
        <source>{size} Б</source>
        <translation>{size} B</translation>
    </message>
    <message>
        <source>осталось: ничего</source>
        <translation>nothing left</translation>
    </message>
    <message>
        <source>осталось: оценивается…</source>
        <translation>time left: estimating…</translation>
    </message>
    <message>
        <source>осталось меньше минуты</source>
        <translation>less than a minute left</translation>
    </message>
    <message>
        <source>осталось ≈ {minutes} мин</source>
        <translation>≈ {minutes} min left</translation>
    </message>
    <message>
        <source>осталось ≈ {hours} ч {minutes} мин</source>
        <translation>≈ {hours} h {minutes} min left</translation>
    </message>
    <message>
        <source>%v из %m</source>
        <translation>%v of %m</translation>
    </message>
    <message>
        <source>Повторить</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>Отменить</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>&lt;b&gt;Очередь загрузки&lt;/b&gt; — все файлы, ещё не загруженные, и недавно загруженные</source>
        <translation>&lt;b&gt;Upload queue&lt;/b&gt; — every file not yet uploaded, and those uploaded recently</translation>
    </message>
    <message>
        <source>Загружено {done} из {files}; {bytes_done} из {bytes_total}</source>
        <translation>Uploaded {done} of {files}; {bytes_done} of {bytes_total}</translation>
    </message>
    <message>
        <source>; ждут решения: {waiting}</source>
        <translation>; awaiting a decision: {waiting}</translation>
    </message>
    <message>
        <source>{size_text}/с, </source>
        <translation>{size_text}/s, </translation>
    </message>
    <message>
        <source>Все загружаемые файлы по всем сделкам: состояние, причины ошибок, повтор и отмена</source>
        <translation>Every file being uploaded, across all deals: state, reasons for failures, retry and cancel</translation>
    </message>
</context>
<context>
    <name>ValidatedLineEdit</name>
    <message>
        <source>Поле обязательно</source>
        <translation>This field is required</translation>
    </message>
</context>
<context>
    <name>WebhookPage</name>
    <message>
        <source>Адрес портала</source>
        <translation>Portal address</translation>
    </message>
    <message>
        <source>Создайте на портале входящий вебхук (Разработчикам → Другое → Входящий вебхук) с правами crm, lists, disk и user и вставьте его адрес.</source>
        <translation>Create an inbound webhook on the portal (Developer resources → Other → Inbound webhook) with the crm, lists, disk and user scopes and paste its address.</translation>
    </message>
    <message>
        <source>https://ваш-портал.bitrix24.ru/rest/1/код/</source>
        <translation>https://your-portal.bitrix24.com/rest/1/code/</translation>
    </message>
    <message>
        <source>не нужен для облачного портала</source>
        <translation>not needed for a cloud portal</translation>
    </message>
    <message>
        <source>Обзор…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <source>Проверить</source>
        <translation>Check</translation>
    </message>
    <message>
        <source>Вебхук:</source>
        <translation>Webhook:</translation>
    </message>
    <message>
        <source>Файл сертификата (CA):</source>
        <translation>CA certificate file:</translation>
    </message>
    <message>
        <source>Тариф портала:</source>
        <translation>Portal plan:</translation>
    </message>
    <message>
        <source>Проверяю портал…</source>
        <translation>Checking the portal…</translation>
    </message>
    <message>
        <source>сохранён: {shown}</source>
        <translation>saved: {shown}</translation>
    </message>
    <message>
        <source>Сертификат удостоверяющего центра</source>
        <translation>Certificate authority certificate</translation>
    </message>
    <message>
        <source>Сертификаты (*.pem *.crt *.cer);;Все файлы (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <source>Портал ответил. </source>
        <translation>The portal answered. </translation>
    </message>
</context>
<context>
    <name>_CheckedDialog</name>
    <message>
        <source>Отмена</source>
        <translation>Cancel</translation>
    </message>
</context>
</TS>
