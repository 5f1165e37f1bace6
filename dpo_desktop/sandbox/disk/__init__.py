"""The Drive (disk) methods of the sandbox portal: storages, folders, files, uploads and downloads."""

from . import downloads, fields, file_methods, folder_methods, storage_methods, uploads

__all__ = ["downloads", "fields", "file_methods", "folder_methods", "storage_methods", "uploads"]
