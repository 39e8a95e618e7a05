"""One BoltOdds outcome -> who the price is on, the line value, and the price.

An outcome is ``{"odds", "link", "outcome_name", "outcome_line",
"outcome_over_under", "outcome_target"}`` under a free-text key (``"Boston Celtics
-4.5 Spread"``). The key is opaque; the structured fields decide, by the market's
catalog kind (see :mod:`.markets`):

- moneyline: a TEAM named by ``outcome_target``; ``Draw``/``Tie`` (and ``Yes``/``No``)
  are RESULT participants; the line is ``""``;
- spread: a TEAM, the line its handicap (``"-4.5"``; ``PK`` is ``"0"``);
- game total: RESULT Over/Under (from ``outcome_over_under``: ``Over``/``O``...), the
  line the total (``"224.5"``);
- team total: a TEAM with ``"Over 24.5"``;
- player props: a PLAYER named by ``outcome_target`` with ``"Over 24.5"``, or the
  line ``""`` for a yes/no prop (anytime scorer, double double), Yes side only.

``odds`` is American, as text (``"-110"``, ``"+150"``, ``"EVEN"``) or a number; null,
``""`` or ``"None"`` means no price now (suspended, deleted): off the board.
"""

from __future__ import annotations

import math

from oddswire.model.change import ParticipantType
from oddswire.model.lines import OVER_SIDE, UNDER_SIDE, format_number, format_side
from oddswire.refdata import DRAW, NO, OVER, UNDER, YES
from oddswire.sources.boltodds.markets import MarketRef
from oddswire.sources.upstream.model import ParticipantRef

#: American odds at most this far from zero (BoltOdds quotes long shots like +30000).
MAX_ODDS = 1_000_000.0
#: A line number at most this far from zero.
MAX_LINE = 100_000.0
MAX_NAME = 200

_SUSPENDED = frozenset({"", "none", "null", "nan", "n/a", "-", "off", "suspended"})
_EVEN = frozenset({"even", "evens", "ev", "e"})
_SIDES = {"over": OVER_SIDE, "o": OVER_SIDE, "under": UNDER_SIDE, "u": UNDER_SIDE}
_RESULTS = {"draw": DRAW, "tie": DRAW, "x": DRAW, "yes": YES, "no": NO}
_RESULT_NAMES = {DRAW: "Draw", YES: "Yes", NO: "No", OVER: OVER_SIDE, UNDER: UNDER_SIDE}
_PICK = frozenset({"pk", "pick", "pick'em", "pickem", "even"})


class OutcomeError(ValueError):
    """An outcome that cannot be mapped; ``kind`` is the quarantine kind."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def _text(value: str) -> str:
    return value.strip().replace("\u2212", "-").replace("\u2013", "-")


def parse_odds(value: object) -> float | None:
    """American odds, or None when the outcome has no price now (suspended).

    Raises :class:`OutcomeError` for what is neither (``"abc"``, ``50``, ``true``)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise OutcomeError("odds", f"odds of type {type(value).__name__}")
    if isinstance(value, str):
        text = _text(value)
        if len(text) > 32:
            raise OutcomeError("odds", "odds text too long")
        folded = text.lower()
        if folded in _SUSPENDED:
            return None
        if folded in _EVEN:
            return 100.0
        try:
            number = float(text)
        except ValueError:
            raise OutcomeError("odds", "not American odds") from None
    else:
        number = float(value)
    if not math.isfinite(number) or not 100.0 <= abs(number) <= MAX_ODDS:
        raise OutcomeError("odds", "not American odds (|odds| must be 100 or more)")
    return number


def parse_line(value: object) -> tuple[str | None, float | None]:
    """``outcome_line`` -> (side written in it, number); (None, None) when absent.

    Accepts numbers and text (``"-4.5"``, ``"+4.5"``, ``"PK"``, ``"O 224.5"``)."""
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise OutcomeError("line", f"line of type {type(value).__name__}")
    side: str | None = None
    if isinstance(value, str):
        text = _text(value)
        if not text:
            return None, None
        if len(text) > 32:
            raise OutcomeError("line", "line text too long")
        head, _, rest = text.partition(" ")
        if rest and head.lower() in _SIDES:
            side, text = _SIDES[head.lower()], rest.strip()
        elif text[:1].lower() in ("o", "u") and text[1:2].isdigit():
            side, text = _SIDES[text[0].lower()], text[1:]
        if text.lower() in _PICK:
            return side, 0.0
        try:
            number = float(text)
        except ValueError:
            raise OutcomeError("line", "unreadable line") from None
    else:
        number = float(value)
    if not math.isfinite(number) or abs(number) > MAX_LINE:
        raise OutcomeError("line", "line out of range")
    return side, number + 0.0  # -0.0 -> 0.0


def parse_side(value: object) -> str | None:
    """``outcome_over_under`` -> ``"Over"`` / ``"Under"`` / ``"Yes"`` / ``"No"`` / None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise OutcomeError("outcome", f"outcome_over_under of type {type(value).__name__}")
    folded = value.strip().lower()
    if not folded:
        return None
    if folded in _SIDES:
        return _SIDES[folded]
    if folded in ("yes", "no"):
        return folded.capitalize()
    raise OutcomeError("outcome", "outcome_over_under is not Over/Under")


def _target(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise OutcomeError("outcome", "no outcome_target")
    if len(value) > MAX_NAME:
        raise OutcomeError("outcome", "outcome_target too long")
    if value.startswith("#"):  # our own hub's stand-in for a participant with no name
        raise OutcomeError("outcome", "outcome_target is an id, not a name")
    return value.strip()


def _number(number: float | None) -> float:
    if number is None:
        raise OutcomeError("line", "no outcome_line")
    return number


def _ou(side: str | None, line_side: str | None) -> str:
    found = side or line_side
    if found not in (OVER_SIDE, UNDER_SIDE):
        raise OutcomeError("outcome", "no Over/Under side")
    return found


def participant_and_line(
    market: MarketRef, target: object, over_under: object, line: object, key: str
) -> tuple[ParticipantRef, str]:
    """Who the outcome is on and its line value, by the market's kind (module doc)."""
    side = parse_side(over_under)
    line_side, number = parse_line(line)
    kind = market.kind
    if kind == "moneyline":
        name = _target(target)
        result = _RESULTS.get(name.lower())
        if number not in (None, 0.0):
            raise OutcomeError("line", "a moneyline with a line")
        if result is not None:
            ref = ParticipantRef(
                kind=ParticipantType.RESULT, name=_RESULT_NAMES[result], result_id=result
            )
            return ref, ""
        return ParticipantRef(kind=ParticipantType.TEAM, name=name), ""
    if kind == "spread":
        name = _target(target)
        return ParticipantRef(kind=ParticipantType.TEAM, name=name), format_number(_number(number))
    if kind == "total":
        if side is None and isinstance(target, str):
            side = _SIDES.get(target.strip().lower())
        if side is None and line_side is None:
            words = {w.lower() for w in key.split()}
            found = {_SIDES[w] for w in words if w in ("over", "under")}
            side = found.pop() if len(found) == 1 else None
        ou = _ou(side, line_side)
        result = OVER if ou == OVER_SIDE else UNDER
        ref = ParticipantRef(kind=ParticipantType.RESULT, name=ou, result_id=result)
        return ref, format_number(_number(number))
    if kind == "team_total":
        name = _target(target)
        value = format_side(_ou(side, line_side), _number(number))
        return ParticipantRef(kind=ParticipantType.TEAM, name=name), value
    if kind == "player_prop":
        name = _target(target)
        player = ParticipantRef(kind=ParticipantType.PLAYER, name=name)
        if market.yes_no:
            if side not in (None, "Yes") or number is not None:
                raise OutcomeError("outcome", "only the Yes side of a yes/no prop is kept")
            return player, ""
        return player, format_side(_ou(side, line_side), _number(number))
    raise OutcomeError("market", f"markets of kind {kind!r} are not mapped")
