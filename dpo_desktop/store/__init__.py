"""The local cache in SQLite (WAL): migrations, repositories, the outbox, the report's read path."""

from .errors import MigrationError, NewerSchemaError, StoreBusyError, StoreError, StoreNotReadyError
from .migrations import SCHEMA_VERSION
from .outbox import OutboxItem
from .reader import StoreReader
from .report import DocumentBits, ParticipantRef, ReportBatch
from .store import ChangeListener, Store
from .writer import TransactionClosedError, WriteTx

__all__ = [
    "SCHEMA_VERSION",
    "ChangeListener",
    "DocumentBits",
    "MigrationError",
    "NewerSchemaError",
    "OutboxItem",
    "ParticipantRef",
    "ReportBatch",
    "Store",
    "StoreBusyError",
    "StoreError",
    "StoreNotReadyError",
    "StoreReader",
    "TransactionClosedError",
    "WriteTx",
]
