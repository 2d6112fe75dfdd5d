"""``python -m talkshow.cli``: the same as the ``talkshow`` command."""

import sys

from talkshow.cli import main

sys.exit(main())
