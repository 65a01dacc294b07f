"""`python -m juesuan …` is the `juesuan` command."""

import sys

from juesuan.cli import main

sys.exit(main())
