"""The byte generators behind the seeds' ``LazyContent``, registered with the disk family by name.

Importing the ``seeds`` package registers them, so a seeded state — built here or loaded from a
``--state`` file — reads its files in any process that has imported the package. The wrappers import
their renderer on first use, so registering costs nothing (no Pillow import).
"""

from __future__ import annotations

from ..disk.state import register_generator

SCAN_GENERATOR = "dpo_seed_scan"  # args: (kind, fmt, variant, lines) of scans.render
TINY_PDF_GENERATOR = "dpo_seed_tiny_pdf"  # args: (title, lines) of tiny_pdf.render_tiny_pdf


def _scan(*args: object) -> bytes:
    from .scans import render

    return render(*args)


def _tiny_pdf(*args: object) -> bytes:
    from .tiny_pdf import render_tiny_pdf

    return render_tiny_pdf(*args)


def register() -> None:
    register_generator(SCAN_GENERATOR, _scan)
    register_generator(TINY_PDF_GENERATOR, _tiny_pdf)
