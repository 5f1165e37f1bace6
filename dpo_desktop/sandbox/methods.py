"""Importing the method families registers their REST methods with the registry."""

from __future__ import annotations

import importlib

FAMILIES = ("crm", "lists", "disk", "bizproc", "user")


def load_all() -> None:
    for family in FAMILIES:
        importlib.import_module(f"{__package__}.{family}")
