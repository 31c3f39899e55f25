#!/usr/bin/env python3
"""Build the timeline site: `python build.py` turns ./content into ./public. See README.md."""

import gc
import os
import sys

# Loading the tool makes tens of thousands of objects and no cycles worth a pass of the cyclic collector, which took a
# few milliseconds of every build; it waits until the tool is loaded (the build then pauses it again, cli.run_build).
gc.disable()
from timeline.cli import main  # noqa: E402

gc.enable()

if __name__ == "__main__":
    status = main()
    # Everything is written, closed and waited for by now. Tearing down the interpreter would free a large build's
    # million objects one by one (a third of a second at 10,000 articles) for nothing, so the process just ends.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
