"""Stable ids and line values."""

from __future__ import annotations

import re
import tokenize
from datetime import UTC, datetime
from pathlib import Path

import pytest

from oddswire.model.ids import (
    event_id,
    event_uuid,
    line_id,
    market_event_id,
    player_id,
    price_id,
    split_price_id,
)
from oddswire.model.lines import format_number, format_side, parse_line

START = datetime(2026, 11, 22, 0, 30, tzinfo=UTC)


def test_event_ids_are_stable_32_hex_and_distinct() -> None:
    a = event_id(4, 4001, 4002, START)
    assert re.fullmatch(r"[0-9a-f]{32}", a)
    assert a == event_id(4, 4001, 4002, START)
    assert a != event_id(4, 4002, 4001, START)  # home and away matter
    assert a != event_id(4, 4001, 4002, START.replace(minute=31))
    assert re.fullmatch(
        r"[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{12}", event_uuid(a)
    )


def test_market_and_price_ids() -> None:
    ev = event_id(4, 4001, 4002, START)
    m = market_event_id(ev, 1, 0)
    assert 0 < m < 2**53  # safe as a JSON number
    assert m != market_event_id(ev, 1, 1)
    line = line_id(ev, 2, 0, 4001, "-4.5")
    assert re.fullmatch(r"[0-9a-f]{32}", line)
    pid = price_id(line, 19)
    assert 0 < pid < 2**63
    assert split_price_id(pid) == (int(line[:12], 16), 19)
    assert price_id(line, 23) != pid
    assert player_id(4001, 3) == 1_400_103


@pytest.mark.parametrize(
    ("value", "text"),
    [(-4.5, "-4.5"), (4.5, "4.5"), (3.0, "3"), (-0.0, "0"), (224.5, "224.5"), (0.25, "0.25")],
)
def test_format_number(value: float, text: str) -> None:
    assert format_number(value) == text


def test_sides_and_parsing() -> None:
    assert format_side("Over", 24.5) == "Over 24.5"
    assert parse_line("Over 24.5") == ("Over", 24.5)
    assert parse_line("Under 3") == ("Under", 3.0)
    assert parse_line("-4.5") == (None, -4.5)
    assert parse_line("") == (None, None)
    assert parse_line("Yes") == (None, None)
    with pytest.raises(ValueError, match="side"):
        format_side("Sideways", 1)


def test_the_off_board_sentinel_lives_only_in_the_therundown_wire_format() -> None:
    """The number 0.0001 appears in code only where TheRundown's JSON is written."""
    src = Path(__file__).resolve().parents[2] / "src" / "oddswire"
    users = set()
    for path in src.rglob("*.py"):
        with path.open("rb") as f:
            numbers = [t.string for t in tokenize.tokenize(f.readline) if t.type == tokenize.NUMBER]
        if any(
            float(n) == 0.0001
            for n in numbers
            if n.replace(".", "").replace("e", "").replace("-", "").isdigit()
        ):
            users.add(str(path.relative_to(src)))
    assert users == {"wire/therundown/common.py"}
