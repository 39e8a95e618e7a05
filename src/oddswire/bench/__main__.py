"""``python -m oddswire.bench``: the same as ``oddswire bench``."""

from __future__ import annotations

import argparse

from oddswire.bench.cli import add_arguments, run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="oddswire bench", description="Measure oddswire against DESIGN §10 budgets."
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
