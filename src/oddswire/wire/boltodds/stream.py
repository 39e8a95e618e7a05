"""The fan-out's BoltOdds encoding: what each change is, once, for every subscriber.

A price change becomes one outcome (``"<key>":{...}``), which each subscription joins
with the others of its game and book in the same committed batch into a
``line_update``. An event change becomes the name of what happened to the game, if
anything a BoltOdds client hears about: ``game_added`` (it appeared, or came back from
being over), ``game_update`` (its status, start time, teams or score changed; a clock
tick alone is not news) or ``game_removed`` (it is over: final, cancelled, postponed).
"""

from __future__ import annotations

from oddswire.board import EventState, LineState
from oddswire.model.change import EventChange, PriceChange
from oddswire.model.event import Event
from oddswire.wire.boltodds.messages import Encoding

GAME_ADDED = b"game_added"
GAME_UPDATE = b"game_update"
GAME_REMOVED = b"game_removed"


def header_changed(before: Event, after: Event) -> bool:
    """Whether a BoltOdds client would see a difference in the game's header."""
    return (
        before.status != after.status
        or before.event_date != after.event_date
        or before.home_team_id != after.home_team_id
        or before.away_team_id != after.away_team_id
        or before.score.score_home != after.score.score_home
        or before.score.score_away != after.score.score_away
    )


def transition(change: EventChange) -> bytes | None:
    """``game_added`` / ``game_update`` / ``game_removed``, or None (nothing to say)."""
    before, after = change.previous, change.event
    was_open = before is not None and not before.status.is_terminal
    is_open = not after.status.is_terminal
    if is_open and not was_open:
        return GAME_ADDED
    if was_open and not is_open:
        return GAME_REMOVED
    if was_open and before is not None and header_changed(before, after):
        return GAME_UPDATE
    return None


class BoltOutcomes:
    """The fan-out encoder (see the module doc)."""

    def __init__(self, encoding: Encoding) -> None:
        self.encoding = encoding

    def price(self, change: PriceChange, line: LineState) -> bytes:
        return self.encoding.outcome(line, change.affiliate_id, change.price, change.status)

    def event(self, change: EventChange, state: EventState) -> bytes | None:
        return transition(change)
