"""PyInstaller runtime hook of a portable bundle (``DPO_BUNDLE_PORTABLE=1 python3 dev.py bundle``).

All data, settings and logs live in ``DPO Desk Data`` beside the executable — a bundle copied to a USB
stick or a shared folder carries its cache with it — unless the command line names a ``--basedir``.
"""

import sys
from pathlib import Path

PORTABLE_FOLDER = "DPO Desk Data"


def portable_arguments(argv: list[str], executable: str) -> list[str]:
    """``argv`` with ``--basedir <folder beside the executable>`` first, unless it names one already."""
    if any(arg == "--basedir" or arg.startswith("--basedir=") for arg in argv[1:]):
        return argv
    return [argv[0], "--basedir", str(Path(executable).resolve().parent / PORTABLE_FOLDER), *argv[1:]]


sys.argv = portable_arguments(sys.argv, sys.executable)
