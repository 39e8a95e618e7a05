"""``oddswire keys create NAME | list | revoke NAME``: API keys kept in the store, hashed."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from oddswire.access.tiers import TierError, Tiers
from oddswire.config import ConfigError, load_settings
from oddswire.store import StoreError
from oddswire.store.keys import DEFAULT_TIER, KeyCommandError, create, records, revoke, set_tier
from oddswire.store.sqlite.admin import admin_connection


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", dest="opt_db", metavar="PATH", help="the store (as for serve)")
    parser.add_argument("--config", metavar="PATH", help="TOML config file (as for serve)")
    actions = parser.add_subparsers(dest="keys_action", metavar="ACTION", required=True)
    made = actions.add_parser("create", help="make a key; prints the key alone on stdout")
    made.add_argument("name", help="a label for the key (unique among active keys)")
    made.add_argument(
        "--tier",
        default=DEFAULT_TIER,
        help=f"the key's tier (default {DEFAULT_TIER}; docs/access.md)",
    )
    actions.add_parser("list", help="list keys (names and prefixes, never the keys)")
    gone = actions.add_parser("revoke", help="revoke a key by name or id")
    gone.add_argument("name", help="name or id of the key")
    moved = actions.add_parser("set-tier", help="move a key to another tier")
    moved.add_argument("name", help="name or id of the key")
    moved.add_argument("tier", help="the new tier")


def keys_command(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(args)
        tiers = Tiers.from_file(settings.tiers_file)
        tier = getattr(args, "tier", None)
        if tier is not None:
            tiers[tier]
        conn = admin_connection(settings.db)
    except (ConfigError, StoreError, TierError) as exc:
        print(f"oddswire: error: {exc}", file=sys.stderr)
        return 1 if isinstance(exc, StoreError) else 2
    try:
        if args.keys_action == "create":
            key, record = create(conn, args.name, args.tier)
            print(key)
            print(
                f"created key {record.id} {record.name!r} ({record.prefix}...), tier {record.tier}",
                file=sys.stderr,
            )
        elif args.keys_action == "list":
            print(f"{'id':>4}  {'name':24}  {'key':10}  {'tier':10}  {'created':20}  status")
            for r in records(conn):
                created = datetime.fromtimestamp(r.created_at, UTC).strftime("%Y-%m-%d %H:%M:%SZ")
                status = "active" if r.active else "revoked"
                print(
                    f"{r.id:>4}  {r.name:24}  {r.prefix + '...':10}  {r.tier:10}  {created:20}  "
                    f"{status}"
                )
        elif args.keys_action == "set-tier":
            record = set_tier(conn, args.name, args.tier)
            print(f"key {record.id} {record.name!r} is now tier {record.tier}", file=sys.stderr)
        else:
            record = revoke(conn, args.name)
            print(f"revoked key {record.id} {record.name!r} ({record.prefix}...)", file=sys.stderr)
    except KeyCommandError as exc:
        print(f"oddswire: error: {exc}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    return 0
