"""``oddswire``: serve the hub, run the benchmarks."""

from __future__ import annotations

import argparse
import sys

from oddswire import __version__
from oddswire.config import add_serve_arguments


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="oddswire", description="A self-hosted, real-time sports-odds hub."
    )
    parser.add_argument("--version", action="version", version=f"oddswire {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="run the hub (simulator, SQLite store, HTTP API)",
        description="Run the hub. Every flag also reads from ODDSWIRE_<NAME> and the "
        "config file; flags win over the environment, which wins over the file.",
    )
    add_serve_arguments(serve)

    keys = commands.add_parser(
        "keys",
        help="manage API keys (create, list, revoke)",
        description="API keys live in the store, hashed. A running hub picks up changes "
        "within a few seconds.",
    )
    from oddswire.cli.keys import add_arguments as add_key_arguments

    add_key_arguments(keys)

    bench = commands.add_parser("bench", help="measure the performance budgets")
    try:
        from oddswire.bench.cli import add_arguments
    except ModuleNotFoundError:
        pass  # an SDK-only install: main() says what to install
    else:
        add_arguments(bench)
    return parser


SERVER_MISSING = (
    "oddswire: the hub needs the server dependencies, which the SDK-only install leaves "
    "out: pip install 'oddswire[server]' ({missing} is missing)"
)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "serve":
        try:
            from oddswire.cli.serve import serve_command
        except ModuleNotFoundError as exc:
            print(SERVER_MISSING.format(missing=exc.name), file=sys.stderr)
            return 2
        return serve_command(args)
    if args.command == "keys":
        from oddswire.cli.keys import keys_command

        return keys_command(args)
    if args.command == "bench":
        try:
            from oddswire.bench.cli import run
        except ModuleNotFoundError as exc:
            print(SERVER_MISSING.format(missing=exc.name), file=sys.stderr)
            return 2
        return run(args)
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
