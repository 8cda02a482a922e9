"""``python -m community_app``: the command line (see ``cli.py``)."""

import sys

from community_app.cli import main

sys.exit(main())
