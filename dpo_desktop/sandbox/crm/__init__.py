"""The CRM methods of the sandbox portal: deals, contacts, companies, pipelines, user fields, bindings."""

from . import bindings, duplicates, items, methods, pipelines, userfields

__all__ = ["bindings", "duplicates", "items", "methods", "pipelines", "userfields"]
