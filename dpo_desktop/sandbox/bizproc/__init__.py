"""The business-process (bizproc) methods of the sandbox portal: templates, starting, instances."""

from . import documents, methods

__all__ = ["documents", "methods"]
