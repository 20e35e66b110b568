"""The `lederkurs` command."""

from __future__ import annotations

import argparse
import sys

from . import build as builder
from .content import ContentError, UnknownLanguage


def _build(args: argparse.Namespace) -> int:
    if args.check:
        drift = builder.check(args.lang)
        for d in drift:
            print(f"{d.path}: {d.reason}", file=sys.stderr)
        if drift:
            print("Notebooks lag behind content: run `lederkurs build` (or `make notebooks`).", file=sys.stderr)
            return 1
        print("Notebooks are up to date with content.")
        return 0
    written = builder.build(args.lang)
    for path in written:
        print(f"wrote {path}")
    if not written:
        print("Notebooks were already up to date.")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lederkurs", description="Leder for ledere: course tools")
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="generate notebooks/ from content/")
    b.add_argument("--check", action="store_true", help="fail if a notebook lags behind its content")
    b.add_argument("--lang", default="nb")
    b.set_defaults(func=_build)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except (ContentError, UnknownLanguage) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
