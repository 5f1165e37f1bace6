"""The bundle's entry script: the same as ``python -m dpo_desktop`` (PyInstaller needs a script, not a package)."""

import sys

from dpo_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
