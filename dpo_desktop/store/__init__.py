"""The local cache in SQLite (WAL): migrations, repositories, outbox, upload queue, pushes, report reads."""

from .errors import MigrationError, NewerSchemaError, StoreBusyError, StoreError, StoreNotReadyError
from .migrations import SCHEMA_VERSION
from .outbox import OutboxItem
from .pushes import PushedFile, PushFolder, folder_key
from .reader import StoreReader
from .report import DocumentBits, ParticipantRef, ReportBatch
from .store import ChangeListener, Store
from .uploads import UploadItem, UploadState
from .writer import TransactionClosedError, WriteTx

__all__ = [
    "SCHEMA_VERSION",
    "ChangeListener",
    "DocumentBits",
    "MigrationError",
    "NewerSchemaError",
    "OutboxItem",
    "ParticipantRef",
    "PushFolder",
    "PushedFile",
    "ReportBatch",
    "Store",
    "StoreBusyError",
    "StoreError",
    "StoreNotReadyError",
    "StoreReader",
    "TransactionClosedError",
    "UploadItem",
    "UploadState",
    "WriteTx",
    "folder_key",
]
