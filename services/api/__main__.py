"""`python -m newsdesk.api [--host H] [--port P]`: the same as `newsdesk api`."""

from __future__ import annotations

import argparse
import sys

from newsdesk.api.cli import add_commands, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsdesk.api")
    add_commands(parser.add_subparsers(dest="command"))
    return run(parser.parse_args(["api", *(sys.argv[1:] if argv is None else argv)]))


if __name__ == "__main__":
    sys.exit(main())
