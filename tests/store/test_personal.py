"""Every cached column is classified: personal (encrypted at rest later) or not. A new column must say."""

from __future__ import annotations

from dpo_desktop.store.personal import PERSONAL_COLUMNS, SEARCH_KEY_COLUMNS, is_personal

# What may stay readable on disk: identifiers, links, dates of records, codes, states, content hashes.
NOT_PERSONAL = {
    "meta": {"key", "value"},
    "stages": {"pipeline_id", "status_id", "name", "sort", "color", "semantics"},
    "companies": {"id", "title", "modified"},
    "contacts": {"id", "company_id", "modified", "sealed"},  # sealed: the personal columns, encrypted
    "change_counters": {"name", "changes"},
    "deals": {"id", "pipeline_id", "stage_id", "company_id", "assigned_by_id", "partner_code",
              "client_contact_id", "event_name", "event_code", "programme_type", "hours", "start_date", "end_date",
              "modified", "frdo"},  # the programme's ФИС ФРДО data: nothing about a person
    "participants": {"local_id", "id", "code", "deal_id", "contact_id", "status", "issued_kind", "issued_date",
                     "modified"},
    "documents": {"local_id", "id", "code", "deal_id", "contact_id", "type", "sha256", "file_id", "received",
                  "status", "modified"},
    "outbox": {"id", "key", "kind", "state", "attempts", "reason", "created_at", "updated_at"},
    "upload_queue": {"id", "key", "batch", "deal_id", "contact_id", "contact_source", "doc_type", "type_source",
                     "confidence", "size", "mtime_ns", "sha256", "kind", "pages", "state", "duplicate_of", "decision",
                     "object_id", "element_id", "code", "attempts", "created_at", "updated_at"},
    "drive_files": {"attachment_id", "object_id"},
    "push_folders": {"folder_key", "folder_id", "manifest_sha256", "manifest_id", "pushed_at"},
    "pushed_files": {"folder_key", "document_code", "sha256", "size", "object_id"},
}


def columns(store) -> dict[str, set[str]]:
    tables = [row[0] for row in store._query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {table: {row[1] for row in store._query(f"PRAGMA table_info({table})")} for table in tables}


def test_every_column_is_either_personal_or_known_not_to_be(store):
    for table, names in columns(store).items():
        personal = set(PERSONAL_COLUMNS.get(table, ()))
        keys = set(SEARCH_KEY_COLUMNS.get(table, {}))
        assert personal | keys | NOT_PERSONAL.get(table, set()) == names, table
        assert not personal & NOT_PERSONAL.get(table, set()), table


def test_search_keys_are_derived_from_personal_columns(store):
    for table, keys in SEARCH_KEY_COLUMNS.items():
        for source in keys.values():
            assert is_personal(table, source)


def test_the_personal_columns_hold_what_a_contact_says_of_a_person(store):
    assert {"last_name", "birth_date", "snils", "passport_number", "phones", "emails"} <= set(
        PERSONAL_COLUMNS["contacts"])
    assert not is_personal("contacts", "id")
