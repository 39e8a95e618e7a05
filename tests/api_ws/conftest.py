"""A live server per test, on a free port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from wskit import LiveServer, serve_hub  # type: ignore[import-not-found]


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[LiveServer]:
    async with serve_hub(tmp_path / "ws.db") as server:
        yield server
