"""The `newsdesk` command."""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsdesk", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for verb, help_ in (
        ("clean", "raw articles (JSON Lines on stdin) -> clean articles"),
        ("extract", "raw or clean articles -> extracted articles"),
        ("dedup", "raw, clean or extracted articles -> merged events"),
    ):
        sub.add_parser(verb, help=help_)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("clean", "extract", "dedup"):
        from newsdesk import offline

        return offline.main(args.command)
    return 2


if __name__ == "__main__":
    sys.exit(main())
