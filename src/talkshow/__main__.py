"""``python -m talkshow`` runs the CLI."""

import sys

from talkshow.cli import main

sys.exit(main())
