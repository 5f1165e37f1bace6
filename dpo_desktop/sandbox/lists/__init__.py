"""The universal lists methods of the sandbox portal (``lists.*``); importing registers them."""

from . import documents, element_methods, field_methods, list_methods

__all__ = ["documents", "element_methods", "field_methods", "list_methods"]
