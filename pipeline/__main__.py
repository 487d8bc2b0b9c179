"""The `paradip` executable (and `python -m pipeline`): the command line of `pipeline.cli`, started
without a package it never uses.

Pandera imports hypothesis, when it is installed (a development tool), to synthesise data, which no
command does; kept out, a command starts about 0.3 s sooner. Importing `pipeline.cli` itself changes
nothing, so tests and other programs keep hypothesis.
"""
from __future__ import annotations

import sys


def main() -> None:
    sys.modules.setdefault("hypothesis", None)  # `import hypothesis` raises ImportError, as when not installed
    from pipeline.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
