"""`python -m xinyong_desktop` — same as the `xinyong-desktop` command."""
import sys

from xinyong_desktop.cli import main

sys.exit(main())
