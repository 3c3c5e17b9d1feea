"""Console output of the e2e run: one timestamped line at a time."""

import sys
import time

START = time.monotonic()


def say(text: str) -> None:
    """Write a line with the seconds since the run started."""
    sys.stdout.write(f"[e2e {time.monotonic() - START:6.1f}s] {text}\n")
    sys.stdout.flush()
