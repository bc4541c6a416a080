"""``python -m toasoan``: the reporter's tools (see :mod:`toasoan.cli`)."""

import sys

from .cli import main

sys.exit(main())
