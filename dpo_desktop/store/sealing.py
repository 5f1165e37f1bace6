"""Bringing a cache file under its data key: checking the key, sealing plain values left from before.

A cache remembers a value sealed with its key (``meta.key_check``); a key that cannot open it is
another key (the keyring was reset, the folder was copied to another account), and the cache is
then rebuilt from the portal (it is only a copy). Values written before encryption existed (a
schema 5 cache, migrated to 6) are plain TEXT: every personal column of ``personal.PERSONAL_COLUMNS``
is sealed in one transaction, and the file is then vacuumed so that no plain text survives in freed
pages. ``secure_delete`` keeps it so: what the
app deletes or overwrites later is zeroed, not left behind in the file.
"""

from __future__ import annotations

import base64
import logging
import sqlite3

from . import rows
from .crypto import CacheCipher, DecryptionError
from .personal import PERSONAL_COLUMNS
from .tables import table

log = logging.getLogger("dpo.store")

KEY_CHECK = "key_check"
ALL_SEALED = "all_sealed"  # set once no plain value is left: every write seals, so the scan is not repeated
_CHECK_TEXT = "DPO Desk"
_CONTEXT = "meta.key_check"

_PLAIN_CONTACTS = f"SELECT {rows.select_list(rows.CONTACT_READ_COLUMNS)} FROM contacts WHERE sealed IS NULL"
# Every other personal column is sealed one value at a time, "table.column" its associated data.
ONE_BY_ONE = {name: columns for name, columns in PERSONAL_COLUMNS.items() if name != "contacts"}
_ROW_KEYS = {"push_folders": ("folder_key",), "pushed_files": ("folder_key", "name")}  # WITHOUT ROWID tables


def prepare_writer(connection: sqlite3.Connection) -> None:
    """Deleted and overwritten content is zeroed in the file, not left readable in free space."""
    connection.execute("PRAGMA secure_delete = ON")


def key_opens(connection: sqlite3.Connection, cipher: CacheCipher) -> bool:
    """Whether ``cipher`` opens this cache; a cache without a check value gets one and is taken as opening."""
    found = connection.execute("SELECT value FROM meta WHERE key = ?", (KEY_CHECK,)).fetchone()
    if found is not None:
        try:
            return cipher.open(base64.b64decode(found[0].strip('"')), _CONTEXT) == _CHECK_TEXT
        except (DecryptionError, ValueError):
            return False
    sealed = connection.execute("SELECT sealed FROM contacts WHERE sealed IS NOT NULL LIMIT 1").fetchone()
    if sealed is not None:  # values sealed, but the check value is gone: try a contact instead
        try:
            cipher.open_fields(sealed[0], "contacts")
        except DecryptionError:
            return False
    check = base64.b64encode(cipher.seal(_CHECK_TEXT, _CONTEXT)).decode("ascii")  # type: ignore[arg-type]
    connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (KEY_CHECK, f'"{check}"'))
    return True


def seal_plain_values(connection: sqlite3.Connection, cipher: CacheCipher) -> int:
    """Seal the personal values still stored plain; how many were sealed (then the file is vacuumed).

    Done once per file: the scan reads every row of the large tables, too slow for every start.
    """
    if connection.execute("SELECT 1 FROM meta WHERE key = ?", (ALL_SEALED,)).fetchone():
        return 0
    connection.execute("BEGIN IMMEDIATE")
    try:
        contacts = [rows.contact_from(row, cipher) for row in connection.execute(_PLAIN_CONTACTS)]
        target = table("contacts")
        connection.executemany(target.upsert_sql(), [target.row(contact, cipher) for contact in contacts])
        count = len(contacts) + sum(_seal_column(connection, cipher, name, column)
                                    for name, columns in ONE_BY_ONE.items() for column in columns)
        connection.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, 'true')", (ALL_SEALED,))
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    if count:
        connection.execute("VACUUM")  # the plain values are gone from the pages, freed ones included
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        log.info("Sealed %d personal values left plain in the cache", count)
    return count


def _seal_column(connection: sqlite3.Connection, cipher: CacheCipher, name: str, column: str) -> int:
    keys = _ROW_KEYS.get(name, ("rowid",))
    found = connection.execute(f"SELECT {column}, {', '.join(keys)} FROM {name}"
                               f" WHERE typeof({column}) = 'text' AND {column} <> ''").fetchall()
    where = " AND ".join(f"{key} = ?" for key in keys)
    connection.executemany(f"UPDATE {name} SET {column} = ? WHERE {where}",
                           [(cipher.seal(value, f"{name}.{column}"), *key) for value, *key in found])
    return len(found)
