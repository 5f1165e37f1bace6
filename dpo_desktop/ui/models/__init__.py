"""Table models and their proxies. Roles shared by every model: sort and filter on these, never on the
display strings (style.md, "Tables, filters and drag-and-drop")."""

from PySide6.QtCore import Qt

SortRole = Qt.ItemDataRole.UserRole + 1  # a value that sorts right: numbers as numbers, text casefolded
IdRole = Qt.ItemDataRole.UserRole + 2  # the row's portal ID (a deal ID for deals)
EntityRole = Qt.ItemDataRole.UserRole + 3  # the domain object behind the row

__all__ = ["EntityRole", "IdRole", "SortRole"]
