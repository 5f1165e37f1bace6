"""The Drive (disk) methods of the sandbox portal: storages, folders, files, uploads and downloads."""

from . import file_methods, folder_methods, routes, storage_methods

__all__ = ["file_methods", "folder_methods", "routes", "storage_methods"]
