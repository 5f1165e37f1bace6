"""The universal lists methods of the sandbox portal (``lists.*``); importing registers them."""

from . import element_methods, field_methods, list_methods

__all__ = ["element_methods", "field_methods", "list_methods"]
