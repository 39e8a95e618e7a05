"""Auth as TheRundown does it, and the public reference endpoints."""

from __future__ import annotations

import pytest
from apikit import KEY, Api  # type: ignore[import-not-found]

EVENTS = "/api/v2/sports/4/events/2026-11-22"


@pytest.mark.parametrize(
    "path", ["/api/v2/sports", "/api/v2/affiliates", "/api/v2/sportsbooks", "/healthz"]
)
async def test_public_paths_need_no_key(api: Api, path: str) -> None:
    r = await api.client.get(path)
    assert r.status_code in (200, 503)  # /healthz is 503 until the sources are up


async def test_missing_and_wrong_keys_get_401(api: Api) -> None:
    r = await api.client.get(EVENTS)
    assert r.status_code == 401
    assert "missing API key" in r.json()["error"]
    r = await api.client.get(EVENTS, headers={"X-TheRundown-Key": "nope-nope"})
    assert r.status_code == 401
    assert "invalid API key" in r.json()["error"]
    assert "nope-nope" not in r.text  # the key is never echoed


@pytest.mark.parametrize("header", ["X-TheRundown-Key", "X-Therundown-Key", "x-therundown-key"])
async def test_header_name_is_case_insensitive(api: Api, header: str) -> None:
    assert (await api.client.get(EVENTS, headers={header: KEY})).status_code == 200


async def test_key_in_query(api: Api) -> None:
    assert (await api.client.get(EVENTS, params={"key": KEY})).status_code == 200


async def test_sports(api: Api) -> None:
    sports = (await api.client.get("/api/v2/sports")).json()["sports"]
    by_id = {s["sport_id"]: s["sport_name"] for s in sports}
    assert by_id[4] == "NBA"
    assert by_id[1] == "NCAA Football"
    assert by_id[5] == "NCAA Men's Basketball"
    assert set(sports[0]) == {"sport_id", "sport_name"}


async def test_affiliates_and_regions(api: Api) -> None:
    books = (await api.client.get("/api/v2/affiliates")).json()["affiliates"]
    by_id = {b["affiliate_id"]: b for b in books}
    assert by_id[19]["affiliate_name"] == "DraftKings"
    assert by_id[24]["affiliate_name"] == "theScore Bet"
    assert 27 not in by_id  # retired
    assert "regions" not in by_id[19]
    with_regions = (
        await api.client.get("/api/v2/affiliates", params={"include": "regions"})
    ).json()
    dk = next(b for b in with_regions["affiliates"] if b["affiliate_id"] == 19)
    assert {"id": 1, "name": "us"} in dk["regions"]


async def test_healthz_reports_the_hub(api: Api) -> None:
    body = (await api.client.get("/healthz")).json()
    assert body["sequence"] == api.hub.board.sequence
    assert body["events"] == 1
    assert body["store"]["epoch"]
