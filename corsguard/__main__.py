"""``python -m corsguard``: the command line (``corsguard.cli``)."""

import sys

from corsguard.cli import main

sys.exit(main())
