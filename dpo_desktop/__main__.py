"""``python -m dpo_desktop``: the same as the ``dpo-desktop`` command."""

import sys

from .cli import main

sys.exit(main())
