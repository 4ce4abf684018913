"""``python -m ijmcase``: the same as the ``ijmcase`` command."""

import sys

from ijmcase.cli import main

sys.exit(main())
