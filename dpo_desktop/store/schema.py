"""The tables of the local cache, one tuple of statements per schema version.

A version's statements never change once shipped: the next version is a new entry in
``migrations.STEPS``. Dates and times are ISO text (``2025-03-01``, ``2025-03-01T10:00:00+03:00``),
enumerations their values, tuples JSON arrays.

No foreign keys tie the mirrored tables together: the portal is the source of truth and a pull may
bring a participant before its deal or contact (or one whose deal lives in another pipeline), so the
cache keeps what the portal says rather than refusing it. ``PRAGMA foreign_keys`` is still on for the
tables the app owns outright.
"""

from __future__ import annotations

# Version 1: the mirrored portal data and the key/value meta table.
V1_CACHE = (
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL  -- JSON
    ) WITHOUT ROWID""",
    """CREATE TABLE stages (
        pipeline_id INTEGER NOT NULL,
        status_id TEXT NOT NULL,
        name TEXT NOT NULL,
        sort INTEGER NOT NULL DEFAULT 0,
        color TEXT,
        semantics TEXT NOT NULL DEFAULT 'process',
        PRIMARY KEY (pipeline_id, status_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE companies (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        modified TEXT
    )""",
    """CREATE TABLE contacts (
        id INTEGER PRIMARY KEY,
        last_name TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        second_name TEXT NOT NULL DEFAULT '',
        birth_date TEXT,
        phones TEXT NOT NULL DEFAULT '[]',
        emails TEXT NOT NULL DEFAULT '[]',
        company_id INTEGER,
        post TEXT NOT NULL DEFAULT '',
        snils TEXT NOT NULL DEFAULT '',
        passport_series TEXT NOT NULL DEFAULT '',
        passport_number TEXT NOT NULL DEFAULT '',
        sex TEXT,
        citizenship TEXT NOT NULL DEFAULT '',
        education_level TEXT,
        diploma_surname TEXT NOT NULL DEFAULT '',
        diploma_series TEXT NOT NULL DEFAULT '',
        diploma_number TEXT NOT NULL DEFAULT '',
        modified TEXT,
        last_name_key TEXT NOT NULL DEFAULT '',
        name_key TEXT NOT NULL DEFAULT '',
        second_name_key TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX contacts_by_name ON contacts (last_name_key, name_key, second_name_key)",
    "CREATE INDEX contacts_by_birth_date ON contacts (birth_date)",
    """CREATE TABLE deals (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        pipeline_id INTEGER NOT NULL,
        stage_id TEXT NOT NULL,
        company_id INTEGER,
        assigned_by_id INTEGER,
        partner_code TEXT NOT NULL DEFAULT '',
        client_contact_id INTEGER,
        event_name TEXT NOT NULL DEFAULT '',
        event_code TEXT NOT NULL DEFAULT '',
        programme_type TEXT,
        hours INTEGER,
        start_date TEXT,
        end_date TEXT,
        modified TEXT
    )""",
    "CREATE INDEX deals_by_stage ON deals (pipeline_id, stage_id)",
    "CREATE INDEX deals_by_event ON deals (event_code)",
    # Participants and documents may exist before the portal gives them an element ID (made offline):
    # the row's own key is local_id, the portal's ID is unique when known, the ELEMENT_CODE always.
    """CREATE TABLE participants (
        local_id INTEGER PRIMARY KEY,
        id INTEGER UNIQUE,
        code TEXT NOT NULL UNIQUE,
        deal_id INTEGER NOT NULL,
        contact_id INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT '',
        issued_kind TEXT NOT NULL DEFAULT '',
        issued_series TEXT NOT NULL DEFAULT '',
        issued_number TEXT NOT NULL DEFAULT '',
        issued_reg_number TEXT NOT NULL DEFAULT '',
        issued_date TEXT,
        modified TEXT
    )""",
    "CREATE INDEX participants_by_deal ON participants (deal_id)",  # rows of a deal come in local_id order
    "CREATE INDEX participants_by_contact ON participants (contact_id)",
    """CREATE TABLE documents (
        local_id INTEGER PRIMARY KEY,
        id INTEGER UNIQUE,
        code TEXT NOT NULL UNIQUE,
        deal_id INTEGER NOT NULL,
        contact_id INTEGER NOT NULL,
        type TEXT NOT NULL,
        sha256 TEXT NOT NULL DEFAULT '',
        original_name TEXT NOT NULL DEFAULT '',
        file_id INTEGER,
        received TEXT,
        status TEXT NOT NULL DEFAULT 'received',
        comment TEXT NOT NULL DEFAULT '',
        modified TEXT
    )""",
    # Covers the report's read (who has which type in which status) without touching the table.
    "CREATE INDEX documents_by_deal ON documents (deal_id, contact_id, type, status)",
    "CREATE INDEX documents_by_content ON documents (contact_id, sha256)",
)

# Version 2: the outbox, where edits wait for the portal.
V2_OUTBOX = (
    """CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: creation order survives deletions
        key TEXT NOT NULL UNIQUE,              -- idempotency key: the same edit twice is one row
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,                 -- JSON object
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'conflict', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        reason TEXT NOT NULL DEFAULT '',
        result TEXT,                           -- JSON object, once done
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX outbox_by_state ON outbox (state, id)",
)

# Version 3: the upload queue, Drive files known by their attachments, and what folder pushes wrote.
V3_UPLOADS = (
    """CREATE TABLE upload_queue (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,          -- deal, chosen person and type, file path, size and mtime
        batch TEXT NOT NULL DEFAULT '',    -- the drop or command it came with
        path TEXT NOT NULL,
        name TEXT NOT NULL,                -- the original file name
        deal_id INTEGER NOT NULL,
        contact_id INTEGER,
        contact_source TEXT,               -- 'user', 'auto'
        doc_type TEXT,
        type_source TEXT,                  -- 'user', 'auto'
        confidence REAL,
        size INTEGER,
        mtime_ns INTEGER,
        sha256 TEXT,
        kind TEXT,                         -- pdf, jpeg, png, tiff
        pages INTEGER,
        state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'hashed', 'classified', 'uploading',
            'linked', 'done', 'failed', 'duplicate', 'attention', 'cancelled')),
        reason TEXT NOT NULL DEFAULT '',
        duplicate_of TEXT,                 -- the code of the person's document with the same content
        decision TEXT CHECK (decision IN ('link', 'keep', 'skip')),
        object_id INTEGER,                 -- the Drive file, once its bytes are on the portal
        element_id INTEGER,                -- the document element, once it exists
        code TEXT,                         -- its ELEMENT_CODE
        attempts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    "CREATE INDEX upload_queue_by_state ON upload_queue (state, id)",
    # S:DiskFile values read back as attachment IDs; copying needs the Drive object behind each.
    """CREATE TABLE drive_files (
        attachment_id INTEGER PRIMARY KEY,
        object_id INTEGER NOT NULL
    )""",
    """CREATE TABLE push_folders (
        folder_key TEXT PRIMARY KEY,       -- 'deal_id-contact_id'
        folder_id INTEGER NOT NULL,
        path TEXT NOT NULL,
        link TEXT NOT NULL DEFAULT '',
        manifest_sha256 TEXT NOT NULL DEFAULT '',
        manifest_id INTEGER,
        pushed_at TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE pushed_files (
        folder_key TEXT NOT NULL,
        name TEXT NOT NULL,
        document_code TEXT NOT NULL,
        sha256 TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL,
        object_id INTEGER NOT NULL,
        PRIMARY KEY (folder_key, name)
    ) WITHOUT ROWID""",
)

# Version 4: nothing in the cache. The personal-data access log lives in its own file beside it
# (``access_log.py``): the cache may be cleared or rebuilt, the log must outlive that.
V4_ACCESS_LOG: tuple[str, ...] = ()

# ФИС ФРДО: the programme's data on the deal, the issued document's status block on the participant
# (JSON texts, ``domain.frdo``); empty when nothing is set.
V5_FRDO = (
    "ALTER TABLE deals ADD COLUMN frdo TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE participants ADD COLUMN frdo TEXT NOT NULL DEFAULT ''",
)

# Version 6: encryption at rest. A contact's personal columns are sealed together in ``sealed`` (the
# plain columns stay empty; ``sealing.py`` seals the values of an older cache when it is first opened
# with its key). Search runs over an index in memory that a change counter tells when to rebuild.
V6_ENCRYPTION = (
    "ALTER TABLE contacts ADD COLUMN sealed BLOB",
    """CREATE TABLE change_counters (
        name TEXT PRIMARY KEY,
        changes INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID""",
    "INSERT INTO change_counters (name) VALUES ('contacts')",
    *(f"""CREATE TRIGGER contacts_{event.lower()} AFTER {event} ON contacts BEGIN
        UPDATE change_counters SET changes = changes + 1 WHERE name = 'contacts';
    END""" for event in ("INSERT", "UPDATE", "DELETE")),
)
