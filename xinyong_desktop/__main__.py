"""`python -m xinyong_desktop` — same as the `xinyong-desktop` command (and the frozen app's entry point)."""
import multiprocessing
import sys

if __name__ == "__main__":
    # in the frozen app the parser processes (forkserver/spawn) re-enter here: let them run their task
    multiprocessing.freeze_support()
    from xinyong_desktop.cli import main

    sys.exit(main())
