"""``python -m toasoan``: the reporter's tools (see :mod:`toasoan.cli`)."""

import sys

from .tools.cli import main

sys.exit(main())
