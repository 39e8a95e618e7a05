"""Cutting JSON documents down to something a reader can take in."""

from __future__ import annotations

import re
from typing import Any

_ID_KEY = re.compile(r"^(\d+|[0-9a-f]{32}|-?\d+:.*)$")


def trimmed(value: Any, items: int = 1, keys: int = 2) -> Any:
    """Lists cut to ``items`` entries, maps keyed by ids (books, lines) to ``keys``."""
    if isinstance(value, dict):
        entries = list(value.items())
        if entries and all(_ID_KEY.match(k) for k, _ in entries):
            entries = entries[:keys]
        return {k: trimmed(v, items, keys) for k, v in entries}
    if isinstance(value, list):
        return [trimmed(v, items, keys) for v in value[:items]]
    return value
