#!/usr/bin/env python3
"""Build the timeline site: `python build.py` turns ./content into ./public. See README.md."""

import os
import sys

from timeline.cli import main

if __name__ == "__main__":
    status = main()
    # Everything is written, closed and waited for by now. Tearing down the interpreter would free a large build's
    # million objects one by one (a third of a second at 10,000 articles) for nothing, so the process just ends.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
