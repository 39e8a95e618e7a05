"""Canonical ``TYPE_RESULT`` participants (Over, Under, Draw, Yes, No).

TheRundown does not publish these ids; a captured totals row carried participant 10
with type 3, so Over is 10 and the rest follow (an inference, see the reference §2.5).
"""

OVER = 10
UNDER = 11
DRAW = 12
YES = 13
NO = 14

_NAMES = {OVER: "Over", UNDER: "Under", DRAW: "Draw", YES: "Yes", NO: "No"}


def result_name(participant_id: int) -> str | None:
    """The display name of a result participant, or None if the id is not one."""
    return _NAMES.get(participant_id)
