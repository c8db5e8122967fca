"""`python -m flows.cli ARGS`: the `themewire` command without the console script."""

import sys

from flows.cli import main

sys.exit(main())
