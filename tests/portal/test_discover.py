"""Discovery against sandbox portals: the demo office, a bare portal, partial and hand-made schemas.

The expected IDs come from the sandbox's own state (what its seed installed), never from discovery.
"""

from __future__ import annotations

import pytest

from dpo_desktop.domain.models import CheckStatus, DocumentType
from dpo_desktop.portal.discover import discover
from dpo_desktop.portal.mapping import CONTACT_FIELDS, DEAL_FIELDS
from dpo_desktop.portal.provision import provision
from dpo_desktop.portal.settings import PortalSettings
from dpo_desktop.sandbox.seeds import build
from dpo_desktop.sandbox.seeds import schema as seed_schema
from dpo_desktop.sandbox.seeds.install import install_pipelines, install_userfields
from dpo_desktop.sandbox.seeds.schema import DpoSchema
from tests.sandbox.portal_fixtures import Sandbox, make_sandbox

from .conftest import run, with_client

# What each logical value is called on the demo portal (the seed's texts), written out independently.
ENUM_MEANING = {"ПК": "ПК", "ПП": "ПП", "Муж": "male", "Жен": "female", "ВО": "higher", "СПО": "vocational",
                "Справка": "student"}
PARTICIPANT_CODES = {"deal": "DEAL", "contact": "CONTACT", "status": "STATUS", "issued_kind": "ISSUED_KIND",
                     "issued_series": "ISSUED_SERIES", "issued_number": "ISSUED_NUMBER",
                     "issued_reg_number": "ISSUED_REG_NUMBER", "issued_date": "ISSUED_DATE", "frdo": "FRDO"}
DOCUMENT_CODES = {"deal": "DEAL", "contact": "CONTACT", "type": "DOC_TYPE", "file": "FILE", "sha256": "SHA256",
                  "original_name": "ORIGINAL_NAME", "received": "RECEIVED_DATE", "check_status": "CHECK_STATUS",
                  "comment": "COMMENT"}
CHECK_MEANING = {"Получен": CheckStatus.RECEIVED, "Проверен": CheckStatus.CHECKED, "Отклонён": CheckStatus.REJECTED}


def discovered(box: Sandbox, settings: PortalSettings | None = None, webhook: str | None = None):
    return run(with_client(box, lambda client: discover(client, settings), webhook))


def test_demo_portal_gives_a_complete_mapping_with_every_id_of_the_sandbox(demo_box):
    state = demo_box.state
    found = discovered(demo_box)

    assert found.problems == []
    mapping = found.mapping
    assert mapping is not None
    assert found.snapshot.requests == 2  # two batches, whatever the portal holds

    category = next(key for key, record in state.crm.categories.items() if record["name"] == "ДПО")
    assert (mapping.pipeline_id, mapping.pipeline_name) == (category, "ДПО")
    stages = state.crm.stages(category)
    assert [(stage.status_id, stage.name) for stage in mapping.stages] == [
        (record["STATUS_ID"], record["NAME"]) for record in stages]
    assert [stage.semantics for stage in mapping.stages][-2:] == ["success", "failure"]

    for entity, logical_names, refs in (("CRM_DEAL", DEAL_FIELDS, mapping.deal_fields),
                                        ("CRM_CONTACT", CONTACT_FIELDS, mapping.contact_fields)):
        definitions = seed_schema.DEAL_FIELDS if entity == "CRM_DEAL" else seed_schema.CONTACT_FIELDS
        by_xml_id = {uf.xml_id: uf for uf in state.crm.userfields.of(entity)}
        assert set(refs) == set(logical_names)
        for logical in logical_names:
            uf = by_xml_id[definitions[logical][2]]
            assert refs[logical].code == uf.field_name
            assert refs[logical].type == uf.user_type_id
            assert refs[logical].values == {item["ID"]: ENUM_MEANING[item["VALUE"]] for item in uf.items}

    for code, list_mapping, codes in ((seed_schema.PARTICIPANTS_CODE, mapping.participants, PARTICIPANT_CODES),
                                      (seed_schema.DOCUMENTS_CODE, mapping.documents, DOCUMENT_CODES)):
        iblock = state.lists.iblocks[state.lists.find_list(code)]
        assert (list_mapping.iblock_id, list_mapping.code) == (iblock.id, code)
        by_code = {item.code: item for item in iblock.fields.values() if item.code}
        assert {logical: ref.code for logical, ref in list_mapping.fields.items()} == {
            logical: by_code[field_code].field_id for logical, field_code in codes.items()}
        assert {logical: ref.type for logical, ref in list_mapping.fields.items()} == {
            logical: by_code[field_code].type for logical, field_code in codes.items()}

    documents = state.lists.iblocks[mapping.documents.iblock_id]
    type_field = next(item for item in documents.fields.values() if item.code == "DOC_TYPE")
    titles = {title: code for code, title in seed_schema.DOCUMENT_TYPES.items()}
    assert mapping.documents.field("type").values == {
        str(enum_id): titles[enum["VALUE"]] for enum_id, enum in type_field.enums.items()}
    assert set(mapping.documents.field("type").values.values()) == {item.value for item in DocumentType}
    status_field = next(item for item in documents.fields.values() if item.code == "CHECK_STATUS")
    assert mapping.documents.field("check_status").values == {
        str(enum_id): CHECK_MEANING[enum["VALUE"]].value for enum_id, enum in status_field.enums.items()}
    participants = state.lists.iblocks[mapping.participants.iblock_id]
    kinds = next(item for item in participants.fields.values() if item.code == "ISSUED_KIND")
    assert mapping.participants.field("issued_kind").values == {
        str(enum_id): enum["VALUE"] for enum_id, enum in kinds.enums.items()}

    assert mapping.file_mode == "drive"
    common = state.disk.common_storage_id()
    assert (mapping.common_storage_id, mapping.common_root_folder_id) == (common, state.disk.root_folder(common))
    archive = next(record["ID"] for record in state.disk.live_children(state.disk.root_folder(common))
                   if record["NAME"] == "ДПО")
    assert mapping.archive_folder_id == archive


def test_mapping_survives_the_profile_round_trip(demo_box):
    mapping = discovered(demo_box).mapping
    again = type(mapping).model_validate_json(mapping.model_dump_json())
    assert again == mapping
    assert again.documents.field("type").value_id("passport") is not None


def test_bare_portal_reports_every_missing_object_and_that_provisioning_fixes_it(empty_box):
    found = discovered(empty_box)

    assert found.mapping is None
    keys = {problem.key for problem in found.problems}
    assert keys == ({"pipeline", "list:participants", "list:documents", "archive"}
                    | {f"deal_field:{name}" for name in DEAL_FIELDS}
                    | {f"contact_field:{name}" for name in CONTACT_FIELDS})
    assert all(problem.fixable for problem in found.problems)
    messages = {problem.key: problem.message for problem in found.problems}
    assert messages["pipeline"].startswith("На портале нет воронки сделок «ДПО»")
    assert "«Код мероприятия»" in messages["deal_field:event_code"]
    assert "«Участники»" in messages["list:participants"] and "dpo_participants" in messages["list:participants"]
    assert "portal provision" in messages["list:documents"]
    assert found.problem("archive").blocking is False


def partial_portal(file_type: str = "S:DiskFile") -> tuple[Sandbox, DpoSchema]:
    """A pipeline and deal fields as the seed installs them, lists made by hand with gaps; no contact fields."""
    state = build("empty")
    made = DpoSchema()
    install_pipelines(state, made)
    install_userfields(state, made, "CRM_DEAL")
    box = make_sandbox(state)
    ids = {"IBLOCK_TYPE_ID": "lists"}
    participants = box.result("lists.add", {**ids, "IBLOCK_CODE": "dpo_participants", "FIELDS": {"NAME": "Участники"}})
    documents = box.result("lists.add", {**ids, "IBLOCK_CODE": "docs_2023", "FIELDS": {"NAME": "Документы участника"}})
    link = {"VISIBLE": "Y", "LEAD": "N", "COMPANY": "N"}
    for iblock in (participants, documents):
        box.result("lists.field.add", {**ids, "IBLOCK_ID": iblock, "FIELDS": {
            "NAME": "Сделка", "TYPE": "S:ECrm", "CODE": "DEAL", "USER_TYPE_SETTINGS": {**link, "DEAL": "Y"}}})
        box.result("lists.field.add", {**ids, "IBLOCK_ID": iblock, "FIELDS": {
            "NAME": "Участник", "TYPE": "S:ECrm", "CODE": "CONTACT", "USER_TYPE_SETTINGS": {**link, "CONTACT": "Y"}}})
    for name, kind, code in (("Статус участника", "L", "STATUS"), ("Вид выданного документа", "L", "ISSUED_KIND"),
                             ("Серия документа", "S", "ISSUED_SERIES"), ("Номер документа", "S", "ISSUED_NUMBER"),
                             ("Регистрационный номер", "S", "ISSUED_REG_NUMBER"),
                             ("Дата выдачи", "S:Date", "ISSUED_DATE")):
        box.result("lists.field.add", {**ids, "IBLOCK_ID": participants, "FIELDS": {
            "NAME": name, "TYPE": kind, "CODE": code, "LIST_TEXT_VALUES": "Зачислен\nОтчислен" if kind == "L" else ""}})
    types = "\n".join(item.title for item in DocumentType if item is not DocumentType.CONTRACT)
    for name, kind, code, values in (("Тип документа", "L", "DOC_TYPE", types), ("Файл", file_type, "FILE", ""),
                                     ("SHA-256", "S", "SHA256", ""), ("Исходное имя файла", "S", "ORIGINAL_NAME", ""),
                                     ("Дата получения", "S:Date", "RECEIVED_DATE", ""),
                                     ("Статус проверки", "L", "CHECK_STATUS", "Получен\nПроверен\nОтклонен")):
        box.result("lists.field.add", {**ids, "IBLOCK_ID": documents, "FIELDS": {
            "NAME": name, "TYPE": kind, "CODE": code, "LIST_TEXT_VALUES": values}})
    return box, made


def test_partial_portal_lists_each_gap_and_nothing_that_is_there():
    box, made = partial_portal()
    found = discovered(box)

    keys = {problem.key for problem in found.problems}
    assert keys == ({f"contact_field:{name}" for name in CONTACT_FIELDS}
                    | {"list_field:documents.comment", "list_field:participants.frdo", "list_values:documents.type",
                       "archive"})
    assert found.mapping is None
    contract = found.problem("list_values:documents.type")
    assert "«Договор»" in contract.message and contract.fixable and not contract.blocking
    comment = found.problem("list_field:documents.comment")
    assert "В списке «Документы участника» нет поля «Комментарий»" in comment.message
    # The documents list has another code: it is found by its name; the generated field names by XML_ID.
    assert next(item for item in found.found if item.key == "list:documents").matched_by == "name"
    deal_codes = {item.location for item in found.found if item.key.startswith("deal_field:")}
    assert deal_codes == set(made.deal_fields.values())
    # «Отклонен» written without ё is still «Отклонён».
    assert found.problem("list_values:documents.check_status") is None


def test_a_schema_made_by_hand_is_found_by_its_russian_labels(empty_box):
    box = empty_box
    box.result("crm.category.add", {"entityTypeId": 2, "fields": {"name": "дпо"}})
    labels = {"partner_code": "Код партнера", "client_contact": "Ответственный от клиента",
              "event_name": "Наименование мероприятия", "event_code": "КОД МЕРОПРИЯТИЯ",
              "programme_type": "Вид программы", "hours": "Кол-во часов", "start_date": "Дата начала",
              "end_date": "Окончание обучения", "frdo": "ФИС ФРДО"}
    types = {"client_contact": "crm", "programme_type": "enumeration", "hours": "double", "start_date": "datetime",
             "end_date": "date"}
    items = {"programme_type": ["Повышение квалификации", "Профессиональная переподготовка"]}
    for index, (logical, label) in enumerate(labels.items()):
        fields = {"FIELD_NAME": f"F{index}", "USER_TYPE_ID": types.get(logical, "string"), "LABEL": label,
                  "LIST": [{"VALUE": value} for value in items.get(logical, [])]}
        if logical == "client_contact":
            fields["SETTINGS"] = {"CONTACT": "Y"}
        box.result("crm.deal.userfield.add", {"fields": fields})
    found = discovered(box, PortalSettings(pipeline_name="ДПО"))

    assert found.problem("pipeline") is None  # «дпо» is «ДПО»
    assert found.mapping is None  # contact fields and lists are still missing
    assert not any(problem.key.startswith("deal_") for problem in found.problems)
    deal_found = {item.key.split(":")[1]: item for item in found.found if item.key.startswith("deal_field:")}
    assert {key: (item.location, item.matched_by) for key, item in deal_found.items()} == {
        logical: (f"UF_CRM_F{index}", "name") for index, logical in enumerate(labels)}
    uf = next(uf for uf in box.state.crm.userfields.of("CRM_DEAL") if uf.field_name == "UF_CRM_F4")
    snapshot_field = next(item for item in found.snapshot.deal_fields if item.field_name == "UF_CRM_F4")
    assert {item.id for item in snapshot_field.items} == {item["ID"] for item in uf.items}


def test_values_only_half_known_are_reported_and_mapped_as_far_as_they_go(empty_box):
    box = empty_box
    box.result("crm.contact.userfield.add", {"fields": {
        "FIELD_NAME": "EDU", "USER_TYPE_ID": "enumeration", "XML_ID": "DPO_EDUCATION_LEVEL", "LABEL": "Образование",
        "LIST": [{"VALUE": "Высшее", "XML_ID": "x1"}, {"VALUE": "Среднее профессиональное"}]}})
    found = discovered(box)

    problem = found.problem("contact_values:education_level")
    assert problem is not None and not problem.blocking and not problem.fixable
    assert "«Справка»" in problem.message
    ref = next(item for item in found.found if item.key == "contact_field:education_level")
    assert (ref.location, ref.matched_by) == ("UF_CRM_EDU", "xml_id")


@pytest.mark.parametrize(("user_type", "settings", "key_fragment"), [
    ("string", {}, "имеет тип «строка», а нужен «привязка к CRM»"),
    ("crm", {"COMPANY": "Y"}, "не может указывать на контакты"),
])
def test_a_field_of_the_wrong_kind_blocks_the_mapping_and_says_why(empty_box, user_type, settings, key_fragment):
    empty_box.result("crm.deal.userfield.add", {"fields": {
        "FIELD_NAME": "CLIENT", "USER_TYPE_ID": user_type, "XML_ID": "DPO_CLIENT_CONTACT", "SETTINGS": settings}})
    found = discovered(empty_box)

    problem = found.problem("deal_field:client_contact")
    assert problem is not None and problem.blocking and not problem.fixable
    assert key_fragment in problem.message and "UF_CRM_CLIENT" in problem.message


def test_a_configured_pipeline_id_wins_over_the_name(demo_box):
    sales = next(key for key, record in demo_box.state.crm.categories.items() if record["name"] == "Продажи")
    found = discovered(demo_box, PortalSettings(pipeline_id=sales))

    assert found.mapping is not None and found.mapping.pipeline_id == sales
    stages = found.problem("stages")
    assert stages is not None and not stages.blocking and "«Итоговая аттестация»" in stages.message

    missing = discovered(demo_box, PortalSettings(pipeline_id=999))
    assert missing.mapping is None
    assert missing.problem("pipeline").fixable is False and "ID 999" in missing.problem("pipeline").message


def test_a_webhook_without_the_lists_scope_is_told_apart_from_missing_lists(demo_box):
    admin = next(user for user in demo_box.state.users.values() if user.admin)
    code = demo_box.state.add_webhook(admin.id, scopes=frozenset({"crm", "disk", "user"}))
    webhook = f"https://sandbox.bitrix24.test/rest/{admin.id}/{code}/"
    found = discovered(demo_box, webhook=webhook)

    assert found.mapping is None
    problem = found.problem("read:lists")
    assert problem is not None and problem.blocking and not problem.fixable
    assert "нет на это прав" in problem.message
    assert found.problem("list:participants") is None  # not claimed missing: it could not be looked at
    assert found.problem("pipeline") is None


def test_a_plain_file_property_means_the_compatibility_mode():
    box, _made = partial_portal(file_type="F")
    found = discovered(box)
    assert found.problem("list_field:documents.file") is None
    assert next(item for item in found.found if item.key == "list_field:documents.file").matched_by == "code"

    run(with_client(box, provision))
    mapping = discovered(box).mapping
    assert mapping is not None and mapping.file_mode == "file"
    assert mapping.documents.field("file").type == "F"
