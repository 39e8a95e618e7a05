from datetime import UTC, date, datetime

import pytest

from oddswire.board.days import day_bounds, local_date


@pytest.mark.parametrize(
    ("moment", "offset", "expected"),
    [
        (datetime(2026, 11, 22, 0, 30, tzinfo=UTC), 0, date(2026, 11, 22)),
        # 00:30 UTC is still the evening before in US Central (offset 300)
        (datetime(2026, 11, 22, 0, 30, tzinfo=UTC), 300, date(2026, 11, 21)),
        (datetime(2026, 11, 22, 5, 0, tzinfo=UTC), 300, date(2026, 11, 22)),
        (datetime(2026, 11, 22, 4, 59, tzinfo=UTC), 300, date(2026, 11, 21)),
        # negative offsets move the boundary the other way (east of UTC)
        (datetime(2026, 11, 21, 22, 0, tzinfo=UTC), -120, date(2026, 11, 22)),
    ],
)
def test_local_date(moment: datetime, offset: int, expected: date) -> None:
    assert local_date(moment, offset) == expected


def test_day_bounds_are_half_open_and_consistent_with_local_date() -> None:
    start, end = day_bounds(date(2026, 11, 21), 300)
    assert start == datetime(2026, 11, 21, 5, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 22, 5, 0, tzinfo=UTC)
    assert local_date(start, 300) == date(2026, 11, 21)
    assert local_date(end, 300) == date(2026, 11, 22)
