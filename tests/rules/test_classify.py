"""Classification of dropped files by name: type keywords, the person among the deal's participants,
the user's hints, and the command line's --type."""

from __future__ import annotations

import pytest

from dpo_desktop.domain.models import DOCUMENT_TITLES, DocumentType
from dpo_desktop.rules.classify import (
    PERSON_THRESHOLD,
    TYPE_THRESHOLD,
    PersonKey,
    classify,
    guess_person,
    guess_type,
    parse_type_argument,
)
from dpo_desktop.rules.snils import control_number
from dpo_desktop.rules.validators import ValidationProblem

D = DocumentType


def snils(account: str) -> str:
    return f"{account[:3]}-{account[3:6]}-{account[6:]} {control_number(account)}"


IVAN = PersonKey(1, "Иванов", "Иван", "Иванович", snils("112233445"))  # 112-233-445 95
PYOTR = PersonKey(2, "Иванов", "Пётр", "Сергеевич", snils("123456789"))  # 123-456-789 64
ANNA = PersonKey(3, "Петрова", "Анна", "Викторовна", "")
DMITRY = PersonKey(4, "Петров", "Дмитрий", "Алексеевич", snils("067219304"))
YULIA = PersonKey(5, "Лебедева-Кумач", "Юлия", "Сергеевна", "")
LEV = PersonKey(6, "Смирнов", "Лев", "Андреевич", "")
MARK = PersonKey(7, "Лев", "Марк", "Борисович", "")  # a surname that is also a first name and a word stem
DEAL = (IVAN, PYOTR, ANNA, DMITRY, YULIA, LEV)


# --- type ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("file_name", "doc_type"), [
    ("паспорт.pdf", D.PASSPORT), ("pasport.jpg", D.PASSPORT), ("Passport_scan.pdf", D.PASSPORT),
    ("pasp_1.jpg", D.PASSPORT), ("psp.jpg", D.PASSPORT), ("паспорт 2-3 стр.jpg", D.PASSPORT),
    ("прописка.jpg", D.PASSPORT), ("регистрация.jpg", D.PASSPORT), ("Копия паспорта.pdf", D.PASSPORT),
    ("паспотр.jpg", D.PASSPORT), ("ПАСПОРТ.PDF", D.PASSPORT),
    ("СНИЛС.pdf", D.SNILS), ("snils.jpg", D.SNILS), ("Страховое свидетельство.pdf", D.SNILS),
    ("strakhovoe_svidetelstvo.pdf", D.SNILS),
    ("диплом.pdf", D.DIPLOMA), ("diplom.pdf", D.DIPLOMA), ("Diploma.pdf", D.DIPLOMA),
    ("Приложение к диплому.pdf", D.DIPLOMA), ("вкладыш.jpg", D.DIPLOMA), ("документ об образовании.pdf", D.DIPLOMA),
    ("Справка об обучении.pdf", D.STUDY_CERTIFICATE), ("справка из вуза.pdf", D.STUDY_CERTIFICATE),
    ("spravka.pdf", D.STUDY_CERTIFICATE), ("справка.pdf", D.STUDY_CERTIFICATE),
    ("согласие.pdf", D.CONSENT), ("soglasie.pdf", D.CONSENT), ("Согласие на обработку ПД.pdf", D.CONSENT),
    ("ПД.pdf", D.CONSENT), ("ОПД.jpg", D.CONSENT), ("персональные данные.pdf", D.CONSENT),
    ("свидетельство о браке.jpg", D.NAME_CHANGE), ("о заключении брака.pdf", D.NAME_CHANGE),
    ("svidetelstvo o brake.jpg", D.NAME_CHANGE), ("смена фамилии.pdf", D.NAME_CHANGE),
    ("о перемене имени.pdf", D.NAME_CHANGE), ("о расторжении брака.pdf", D.NAME_CHANGE),
    ("свид-во о браке.jpg", D.NAME_CHANGE), ("справка о смене фамилии.pdf", D.NAME_CHANGE),
    ("заявление.pdf", D.APPLICATION), ("zayavlenie.pdf", D.APPLICATION), ("zajavlenie.pdf", D.APPLICATION),
    ("договор.pdf", D.CONTRACT), ("dogovor.pdf", D.CONTRACT), ("contract.pdf", D.CONTRACT),
    ("ДОГОВОР №15-ПК от 03.03.2025.pdf", D.CONTRACT), ("доп соглашение.pdf", D.CONTRACT),
    ("ИНН.pdf", D.OTHER), ("трудовая книжка.pdf", D.OTHER), ("справка медицинская.pdf", D.OTHER),
])
def test_type_keywords(file_name, doc_type):
    guess = guess_type(file_name)
    assert guess.type is doc_type
    assert guess.confidence >= TYPE_THRESHOLD
    assert guess.matched


@pytest.mark.parametrize("file_name", [
    "Scan_20240305_0001.pdf", "IMG_4021.jpg", "WhatsApp Image 2024-03-01 at 10.15.22.jpeg", "документ.pdf",
    "скан1.pdf", "CamScanner 03-05-2025 10.15.pdf", "photo_2024-03-05_10-15-22.jpg", "Новый документ (2).pdf",
    "image001.png", "Документ Microsoft Word.docx", "",
])
def test_names_with_no_information_give_no_type(file_name):
    assert guess_type(file_name) == guess_type("IMG_0001.jpg")
    assert guess_type(file_name).type is None
    result = classify(file_name, DEAL)
    assert result.needs_attention
    assert "не удалось определить тип документа по имени файла" in result.reasons


@pytest.mark.parametrize(("file_name", "word"), [
    ("свидетельство.pdf", "свидетельство"), ("Свидетельство Иванова И.И..jpg", "Свидетельство"),
    ("svidetelstvo.jpg", "svidetelstvo"), ("удостоверение.pdf", "удостоверение"),
])
def test_svidetelstvo_alone_decides_nothing(file_name, word):
    guess = guess_type(file_name)
    assert (guess.type, guess.matched) == (None, word)
    assert classify(file_name, DEAL).reasons[0] == (
        f"не удалось определить тип документа по имени файла: слово «{word}» бывает в разных документах")


@pytest.mark.parametrize(("file_name", "titles"), [
    ("Паспорт и СНИЛС.pdf", "Паспорт, СНИЛС"),
    ("Договор и согласие.pdf", "Договор, Согласие на обработку ПД"),
])
def test_two_documents_named_is_no_answer(file_name, titles):
    assert guess_type(file_name).type is None
    assert f"в имени файла названы разные документы: {titles}" in classify(file_name, DEAL).reasons


def test_the_more_specific_phrase_wins_over_a_bare_spravka():
    assert guess_type("справка о смене фамилии.pdf").type is D.NAME_CHANGE
    assert guess_type("справка об обучении.pdf").confidence > guess_type("справка.pdf").confidence


def test_matched_names_the_words_of_the_file_that_decided():
    assert guess_type("Скан_согласие на обработку ПД.pdf").matched == "согласие на обработку"
    assert guess_type("IvanovII_pasport.pdf").matched == "pasport"


def test_a_misspelt_weak_keyword_is_below_the_threshold():
    guess = guess_type("спарвка.pdf")
    assert guess.type is D.STUDY_CERTIFICATE and guess.confidence < TYPE_THRESHOLD
    result = classify("спарвка Смирнов.pdf", DEAL)
    assert result.needs_attention
    assert result.reasons == ("тип документа угадан неуверенно: Справка об обучении по слову «спарвка»",)


# --- person ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("file_name", "contact_id", "how"), [
    ("паспорт Иванова И.И. стр 2-3.jpg", 1, "surname_initials"),
    ("Иванов_ИИ_паспорт.jpg", 1, "surname_initials"),
    ("IvanovII.pdf", 1, "surname_initials"),
    ("ivanov_p_s.pdf", 2, "surname_initials"),
    ("И.И. Иванов паспорт.pdf", 1, "surname_initials"),
    ("Иванов Пётр паспорт.pdf", 2, "full_name"),
    ("Pyotr Ivanov.pdf", 2, "full_name"),
    ("Иванова Ивана Ивановича.pdf", 1, "full_name"),
    ("Иванов Иванович.pdf", 1, "surname_initials"),
    ("Petrova Anna.pdf", 3, "full_name"),
    ("Петровой.pdf", 3, "surname"),  # genitive of Петрова; Петров's forms are not «-ой»
    ("Петрова Д.А..pdf", 4, "surname_initials"),  # Петрова is Анна: the initials decide for Петров
    ("Лебедева-Кумач.pdf", 5, "surname"),
    ("Lebedeva-Kumach Iuliia.pdf", 5, "full_name"),
    ("Лебедевой-Кумач.pdf", 5, "surname"),
    ("Smirnov_Lev.pdf", 6, "full_name"),
    ("Смирнова Льва.pdf", 6, "full_name"),
    ("123-456-789 64.pdf", 2, "snils"),
    ("12345678964.pdf", 2, "snils"),
    ("123 456 789 64.pdf", 2, "snils"),
    ("снилс_123-456-789_64_Иванов.pdf", 2, "snils"),  # the name agrees with the number
    ("Пе\u0308тр Иванов.pdf", 2, "full_name"),  # ё as macOS writes it
    ("06721930462 Петров.jpg", 4, "snils"),
])
def test_person_found(file_name, contact_id, how):
    guess = guess_person(file_name, DEAL)
    assert (guess.contact_id, guess.how) == (contact_id, how)
    assert guess.confidence >= PERSON_THRESHOLD


@pytest.mark.parametrize(("file_name", "candidates"), [
    ("Иванов_паспорт.pdf", (1, 2)),  # two Ивановы, nothing else
    ("Иванова паспорт.pdf", (1, 2)),  # genitive of both
    ("Петрова_паспорт.pdf", (3, 4)),  # Петрова herself, or Петров in the genitive
    ("Petrova.pdf", (3, 4)),
    ("Петрову.pdf", (3, 4)),  # dative of Петров, accusative of Петрова
    ("Иванов И.И., Иванов П.С. - договор.pdf", (1, 2)),
    ("Смирнов и Петров договор.pdf", (4, 6)),
    ("123-456-789 64 Смирнов.pdf", (2, 6)),  # the number is Пётр Иванов's, the name Смирнов's
])
def test_several_fit_so_nobody_is_chosen(file_name, candidates):
    guess = guess_person(file_name, DEAL)
    assert guess.contact_id is None
    assert set(guess.candidates) == set(candidates)


def test_the_message_lists_the_candidates():
    result = classify("Иванов_паспорт.pdf", DEAL)
    assert result.needs_attention
    assert result.reasons == ("подходят несколько участников: Иванов И. И., Иванов П. С.",)


@pytest.mark.parametrize(("file_name", "reason"), [
    ("паспорт Тихонов.pdf", "в имени файла нет фамилии участника сделки"),
    ("Паспорт Иванов Олег.pdf", "фамилия совпадает, но инициалы или имя другие: Иванов И. И., Иванов П. С."),
    ("Паспорт Иванов А.А..pdf", "фамилия совпадает, но инициалы или имя другие: Иванов И. И., Иванов П. С."),
    ("Смирнов Петрович.pdf", "фамилия совпадает, но инициалы или имя другие: Смирнов Л. А."),
    ("Иванова Мария паспорт.pdf", "фамилия совпадает, но инициалы или имя другие: Иванов И. И., Иванов П. С."),
    ("паспорт Лебедевой.pdf", "в имени файла нет фамилии участника сделки"),  # half a double-barrelled surname
    ("снилс 096-215-379 82.pdf", "СНИЛС в имени файла не принадлежит участникам сделки"),
    ("паспорт.pdf", "в имени файла нет фамилии участника сделки"),
])
def test_nobody_fits(file_name, reason):
    result = classify(file_name, DEAL)
    assert result.person.contact_id is None
    assert result.needs_attention
    assert reason in result.reasons


def test_a_surname_alone_with_another_name_like_word_is_not_enough():
    result = classify("паспорт Смирнов Москва.pdf", DEAL)
    assert result.person.contact_id is None and result.person.candidates == (6,)
    assert result.reasons == ("в имени файла есть похожее на имя слово, но такого участника в сделке нет: «Москва»",)


@pytest.mark.parametrize("file_name", ["паспорт левый разворот.jpg", "Левый_паспорт.pdf", "львов.pdf", "Левин.pdf"])
def test_words_not_substrings(file_name):
    assert guess_person(file_name, (MARK, IVAN)).contact_id is None


def test_a_surname_that_is_a_word_still_matches_as_a_word():
    assert guess_person("паспорт Лев М.Б..jpg", (MARK, IVAN)).contact_id == 7


@pytest.mark.parametrize(("file_name", "contact_id"), [
    ("lebedeva-kumach_yu_s.pdf", 5),  # «yu» is one initial, Ю
    ("Lebedeva-Kumach Yu.S..pdf", 5),
    ("Смирнов ПД.pdf", None),  # an upper-case pair after a surname may be initials (П. Д.): not Лев Андреевич's
    ("ПД Смирнов.pdf", 6),  # before the surname only single letters are initials
    ("договор ПК Смирнов.pdf", 6),
    ("Смирнов Л.А. ПД.pdf", 6),
])
def test_initials_as_people_write_them(file_name, contact_id):
    assert guess_person(file_name, DEAL).contact_id == contact_id


def test_the_surname_twice_with_both_sets_of_initials_names_both():
    assert set(guess_person("Иванов И.И., Иванов П.С..pdf", DEAL).candidates) == {1, 2}


def test_namesakes_with_the_same_initials_are_told_apart_by_contact_id():
    twins = (PersonKey(11, "Медведева", "Алина", "Руслановна", ""),
             PersonKey(12, "Медведева", "Анна", "Руслановна", ""))
    result = classify("Медведева А.Р. паспорт.pdf", twins)
    assert result.reasons == ("подходят несколько участников: Медведева А. Р. (#11), Медведева А. Р. (#12)",)


@pytest.mark.parametrize(("file_name", "candidates"), [
    ("Иванов И.И. 123-456-789 64.pdf", (2,)),  # Пётр's number beside Иван's initials
    ("Смирнов 123-456-789 64.pdf", (2, 6)),
])
def test_a_snils_and_a_name_that_disagree(file_name, candidates):
    result = classify(f"паспорт {file_name}", DEAL)
    assert (result.person.contact_id, result.person.candidates) == (None, candidates)
    assert result.reasons == ("СНИЛС и фамилия в имени файла указывают на разных участников",)


def test_a_snils_and_a_surname_it_shares_with_a_namesake_agree():
    assert guess_person("Иванов 123-456-789 64.pdf", DEAL).contact_id == 2


def test_a_snils_with_a_wrong_control_number_is_just_digits():
    assert guess_person("123-456-789 65.pdf", DEAL).contact_id is None
    assert guess_person("123-456-789 65 Иванов П.С..pdf", DEAL).contact_id == 2  # the name still decides


def test_a_foreign_snils_beside_a_known_name():
    # Анна Петрова's СНИЛС is not known yet: the number may be hers.
    assert guess_person("снилс Петрова А.В. 096-215-379 82.pdf", DEAL).contact_id == 3
    # Дмитрий Петров's is known and different: somebody else's number, so attention.
    guess = guess_person("снилс Петров Д.А. 096-215-379 82.pdf", DEAL)
    assert (guess.contact_id, guess.candidates) == (None, (4,))


# --- one participant ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("file_name", "contact_id", "how"), [
    ("паспорт.pdf", 1, "only_participant"),
    ("Scan_20240305_0001.pdf", 1, "only_participant"),
    ("паспорт разворот 2-3.jpg", 1, "only_participant"),
    ("паспорт Иван.pdf", 1, "only_participant"),  # his own first name names nobody else
    ("паспорт Иванова.pdf", 1, "surname"),  # genitive
    ("паспорт Ivanova.pdf", 1, "surname"),
    ("паспорт Тихонов.pdf", None, ""),  # a surname not in the deal
    ("паспорт сорокин.pdf", None, ""),
    ("Паспорт Мария.pdf", None, ""),  # somebody else's first name
    ("паспорт Ивановой.pdf", None, ""),  # Иванова, a woman who does not take part
    ("паспорт Иванов П.С..pdf", None, ""),  # another Иванов
    ("паспорт 096-215-379 82.pdf", None, ""),  # another person's СНИЛС
    ("паспорт 112-233-445 95.pdf", 1, "snils"),
])
def test_the_only_participant(file_name, contact_id, how):
    guess = guess_person(file_name, (IVAN,))
    assert (guess.contact_id, guess.how) == (contact_id, how)
    if contact_id is not None:
        assert guess.confidence >= PERSON_THRESHOLD


def test_no_participants():
    result = classify("паспорт Иванов.pdf", ())
    assert result.person.contact_id is None
    assert result.reasons == ("в сделке нет участников",)


# --- hints ------------------------------------------------------------------------------------------------


def test_hints_win():
    result = classify("IMG_4021.jpg", DEAL, type_hint=D.PASSPORT, contact_hint=2)
    assert result.type.type is D.PASSPORT and result.type.confidence == 1.0 and result.type.matched == "hint"
    assert (result.person.contact_id, result.person.confidence, result.person.how) == (2, 1.0, "hint")
    assert not result.needs_attention and result.reasons == ()


def test_a_hint_wins_over_what_the_name_says():
    result = classify("Иванов И.И. паспорт.pdf", DEAL, type_hint=D.SNILS, contact_hint=2)
    assert (result.type.type, result.person.contact_id) == (D.SNILS, 2)


def test_one_hint_leaves_the_other_half_to_the_name():
    by_type = classify("Петрова_паспорт.pdf", DEAL, type_hint=D.DIPLOMA)
    assert by_type.type.type is D.DIPLOMA
    assert by_type.needs_attention
    assert by_type.reasons == ("подходят несколько участников: Петрова А. В., Петров Д. А.",)
    by_person = classify("Scan_0001.pdf", DEAL, contact_hint=3)
    assert by_person.person.how == "hint" and by_person.needs_attention
    assert by_person.reasons == ("не удалось определить тип документа по имени файла",)


def test_a_clear_name_needs_no_attention():
    result = classify("Скан_согласие на обработку ПД_Смирнов.pdf", DEAL)
    assert (result.type.type, result.person.contact_id, result.person.how) == (D.CONSENT, 6, "surname")
    assert not result.needs_attention and result.reasons == ()


# --- the command line's --type -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "doc_type"), [
    ("Паспорт", D.PASSPORT), ("паспорт", D.PASSPORT), (" ПАСПОРТ ", D.PASSPORT), ("passport", D.PASSPORT),
    ("PASSPORT", D.PASSPORT), ("Согласие на обработку ПД", D.CONSENT), ("согласие на обработку пд", D.CONSENT),
    ("name_change", D.NAME_CHANGE), ("name-change", D.NAME_CHANGE), ("Документ о смене фамилии", D.NAME_CHANGE),
    ("Справка об обучении", D.STUDY_CERTIFICATE), ("study_certificate", D.STUDY_CERTIFICATE),
    ("Другое", D.OTHER), ("auto", None), ("AUTO", None), ("авто", None),
])
def test_parse_type_argument(text, doc_type):
    assert parse_type_argument(text) is doc_type


def test_every_title_and_code_is_accepted():
    for doc_type in DocumentType:
        assert parse_type_argument(DOCUMENT_TITLES[doc_type]) is doc_type
        assert parse_type_argument(doc_type.value) is doc_type


def test_the_portals_own_title_counts_and_ours_still_does():
    titles = {D.DIPLOMA: "Документ об образовании", D.NAME_CHANGE: "Свидетельство о браке / смене ФИО"}
    assert parse_type_argument("документ об образовании", titles) is D.DIPLOMA
    assert parse_type_argument("Диплом", titles) is D.DIPLOMA
    assert parse_type_argument("свидетельство о браке / смене фио", titles) is D.NAME_CHANGE


def test_e_and_yo_are_one_letter():
    titles = {D.APPLICATION: "Заявление (заполнённое)"}
    assert parse_type_argument("заявление (заполненное)", titles) is D.APPLICATION


@pytest.mark.parametrize(("text", "start"), [
    ("паспортт", "Тип документа «паспортт» неизвестен; допустимы: "),
    ("pasport", "Тип документа «pasport» неизвестен; допустимы: "),  # the CLI takes names, not guesses
    ("", "Тип документа не указан; допустимы: "),
])
def test_an_unknown_type_is_refused_with_the_accepted_names(text, start):
    with pytest.raises(ValueError) as caught:
        parse_type_argument(text, {D.DIPLOMA: "Документ об образовании"})
    message = str(caught.value)
    assert isinstance(caught.value, ValidationProblem) and caught.value.field == "type"
    assert message.startswith(start)
    assert "Документ об образовании (diploma)" in message and "Паспорт (passport)" in message
    assert message.endswith(" или auto")
