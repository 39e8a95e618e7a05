"""Errors, retries and key hygiene, against a real HTTP server on a free port that
answers what each test scripts (no mocked transport): both clients map statuses to
typed errors, retry 429/5xx/connection errors as the policy says (honouring
``Retry-After``, in seconds or as an HTTP date), never retry a spent quota, and never
show the API key: not in ``repr``, not in an error, not in a log line."""

from __future__ import annotations

import asyncio
import email.utils
import itertools
import logging
import time
from collections.abc import Iterator
from typing import Any, Literal

import pytest
from clientkit import Reply, ScriptedServer, free_port  # type: ignore[import-not-found]

from oddswire.client import (
    APIError,
    AsyncClient,
    AuthenticationError,
    BadRequestError,
    Client,
    DecodeError,
    GoneError,
    NotFoundError,
    OddswireError,
    PermissionDeniedError,
    QuotaExhaustedError,
    RateLimitError,
    RetryPolicy,
    ServerError,
    StaleCursorError,
    TransportError,
)
from oddswire.client.backoff import Backoff
from oddswire.client.core import KEY_HEADER, parse_retry_after
from oddswire.wire.therundown import v2_models as v2

KEY = "sk-live-Zq9xTopSecret0123"
SPORTS = "/api/v2/sports"
OK = Reply(200, {"sports": [{"sport_id": 4, "sport_name": "NBA"}]})
#: Retries at once (10-50 ms), so only a Retry-After makes a client wait long.
FAST = RetryPolicy(max_retries=2, backoff=Backoff(initial=0.01, maximum=0.05, jitter=0.0))

Flavor = Literal["sync", "async"]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as s:
        yield s


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> Flavor:
    return request.param  # type: ignore[no-any-return]


def fetch(
    flavor: Flavor,
    url: str,
    method: str = "sports",
    *args: Any,
    auth: Literal["header", "query"] = "header",
    retry: RetryPolicy = FAST,
    **kwargs: Any,
) -> Any:
    """One endpoint method through a fresh client of the flavor."""
    if flavor == "sync":
        with Client(url, KEY, auth=auth, retry=retry) as api:
            return getattr(api, method)(*args, **kwargs)

    async def go() -> Any:
        async with AsyncClient(url, KEY, auth=auth, retry=retry) as api:
            return await getattr(api, method)(*args, **kwargs)

    return asyncio.run(go())


def fails(flavor: Flavor, url: str, method: str = "sports", **kwargs: Any) -> OddswireError:
    with pytest.raises(OddswireError) as info:
        fetch(flavor, url, method, **kwargs)
    return info.value


# ----------------------------------------------------------------- statuses


@pytest.mark.parametrize(
    ("status", "message", "kind"),
    [
        (400, "market_ids: at most 12 market ids are allowed", BadRequestError),
        (400, "last_id is stale (>24 h), re-bootstrap from events endpoint", StaleCursorError),
        (400, "last_id not found, re-bootstrap from events endpoint", StaleCursorError),
        (401, "Unauthorized", AuthenticationError),
        (403, "your plan does not include player props", PermissionDeniedError),
        (404, "Not Found", NotFoundError),
        (410, "this V1 route is retired; use /api/v2/hedge", GoneError),
        (418, "I'm a teapot", APIError),
    ],
)
def test_a_status_is_a_typed_error_at_once(
    server: ScriptedServer, flavor: Flavor, status: int, message: str, kind: type[APIError]
) -> None:
    server.on(SPORTS, Reply(status, {"error": message}))
    error = fails(flavor, server.url)
    assert type(error) is kind
    assert isinstance(error, APIError)
    assert (error.status, error.message, error.path) == (status, message, SPORTS)
    assert str(error) == f"{status}: {message} ({SPORTS})"
    assert len(server.requests_to(SPORTS)) == 1  # a client error is never retried


def test_a_stale_cursor_is_a_bad_request_too(server: ScriptedServer, flavor: Flavor) -> None:
    server.on(
        "/api/v2/markets/delta",
        Reply(400, {"error": "last_id is stale (>24 h), re-bootstrap from events endpoint"}),
    )
    error = fails(flavor, server.url, "markets_delta", last_id=12)
    assert isinstance(error, StaleCursorError)
    assert isinstance(error, BadRequestError)
    assert server.requests_to("/api/v2/markets/delta")[0].query == "last_id=12"


def test_a_body_that_is_not_json_is_the_message(server: ScriptedServer, flavor: Flavor) -> None:
    server.on(SPORTS, Reply(404, b"<html>no such page</html>", {"Content-Type": "text/html"}))
    error = fails(flavor, server.url)
    assert isinstance(error, NotFoundError)
    assert error.message == "<html>no such page</html>"


# ------------------------------------------------------------------ retries


def gaps(server: ScriptedServer, path: str = SPORTS) -> list[float]:
    seen = [s.at for s in server.requests_to(path)]
    return [b - a for a, b in itertools.pairwise(seen)]


def test_429_waits_for_retry_after_seconds(server: ScriptedServer, flavor: Flavor) -> None:
    server.on(SPORTS, Reply(429, {"error": "Too Many Requests"}, {"Retry-After": "1"}), OK)
    got = fetch(flavor, server.url)
    assert isinstance(got, v2.SportsResponse)
    assert got.sports[0].sport_id == 4
    (waited,) = gaps(server)
    assert 0.95 <= waited < 3.0


def test_429_waits_for_a_retry_after_date(server: ScriptedServer, flavor: Flavor) -> None:
    when = email.utils.formatdate(time.time() + 2, usegmt=True)  # whole seconds: 1-2 s away
    server.on(SPORTS, Reply(429, {"error": "Too Many Requests"}, {"Retry-After": when}), OK)
    assert isinstance(fetch(flavor, server.url), v2.SportsResponse)
    (waited,) = gaps(server)
    assert 0.8 <= waited < 3.0


def test_a_spent_quota_is_raised_at_once(server: ScriptedServer, flavor: Flavor) -> None:
    server.on(
        SPORTS,
        Reply(429, {"error": "Daily data point limit reached"}, {"Retry-After": "1"}),
        OK,
    )
    started = time.monotonic()
    error = fails(flavor, server.url)
    assert time.monotonic() - started < 0.9
    assert isinstance(error, QuotaExhaustedError)
    assert isinstance(error, RateLimitError)
    assert (error.status, error.retry_after) == (429, 1.0)
    assert len(server.requests_to(SPORTS)) == 1  # the server counts requests: no retry


def test_429_retries_run_out(server: ScriptedServer, flavor: Flavor) -> None:
    server.on(SPORTS, Reply(429, {"error": "Too Many Requests"}))
    error = fails(flavor, server.url)
    assert type(error) is RateLimitError
    assert error.retry_after is None
    assert len(server.requests_to(SPORTS)) == 1 + FAST.max_retries


def test_503_twice_then_200_succeeds(server: ScriptedServer, flavor: Flavor) -> None:
    busy = Reply(503, {"error": "Service Unavailable"})
    server.on(SPORTS, busy, busy, OK)
    got = fetch(flavor, server.url)
    assert isinstance(got, v2.SportsResponse)
    assert len(server.requests_to(SPORTS)) == 3
    assert all(g < 0.5 for g in gaps(server))  # the policy's short backoff


def test_5xx_retries_run_out(server: ScriptedServer, flavor: Flavor) -> None:
    server.on(SPORTS, Reply(502, b"Bad Gateway", {"Content-Type": "text/plain"}))
    error = fails(flavor, server.url)
    assert isinstance(error, ServerError)
    assert (error.status, error.message) == (502, "Bad Gateway")
    assert len(server.requests_to(SPORTS)) == 1 + FAST.max_retries


def test_no_retries_when_the_policy_says_none(server: ScriptedServer, flavor: Flavor) -> None:
    server.on(SPORTS, Reply(500, {"error": "Internal Server Error"}))
    error = fails(flavor, server.url, retry=RetryPolicy(max_retries=0))
    assert isinstance(error, ServerError)
    assert len(server.requests_to(SPORTS)) == 1


def test_connection_refused_is_a_transport_error(flavor: Flavor) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    error = fails(flavor, url)
    assert isinstance(error, TransportError)
    assert SPORTS in str(error)
    assert time.monotonic() - started < 2.0  # retried with the short backoff, then raised


# ----------------------------------------------------------------- decoding


@pytest.mark.parametrize(
    "body",
    [
        {"sports": "NBA"},
        {"sports": [{"sport_id": "four", "sport_name": "NBA"}]},
        [1, 2, 3],
        b"<html>200 but not JSON</html>",
        b"",
    ],
)
def test_a_2xx_body_of_another_shape_is_a_decode_error(
    server: ScriptedServer, flavor: Flavor, body: Any
) -> None:
    server.on(SPORTS, Reply(200, body))
    error = fails(flavor, server.url)
    assert isinstance(error, DecodeError)
    assert str(error).startswith(f"{SPORTS}: the response is not the documented shape")
    assert len(server.requests_to(SPORTS)) == 1


def test_parameters_and_key_reach_the_server(server: ScriptedServer, flavor: Flavor) -> None:
    path = "/api/v2/sports/4/events/2026-11-22"
    server.on(path, Reply(200, {"meta": None, "events": []}))
    got = fetch(
        flavor, server.url, "sport_events", 4, "2026-11-22", market_ids=[1, 2], main_line=True
    )
    assert got == v2.EventsResponse(meta=None, events=[])
    (seen,) = server.requests_to(path)
    assert seen.query == "market_ids=1%2C2&main_line=true"
    assert seen.headers[KEY_HEADER] == KEY
    assert seen.headers["User-Agent"].startswith("oddswire-python/")
    fetch(flavor, server.url, "sport_events", 4, "2026-11-22", auth="query")
    query_auth = server.requests_to(path)[-1]
    assert query_auth.query == f"key={KEY}"
    assert KEY_HEADER not in query_auth.headers


# -------------------------------------------------------------- key hygiene


@pytest.mark.parametrize("auth", ["header", "query"])
def test_the_key_never_shows(
    server: ScriptedServer,
    flavor: Flavor,
    auth: Literal["header", "query"],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    busy = Reply(503, {"error": "Service Unavailable"})
    server.on(SPORTS, busy, OK)
    # a server that echoes the request URL, key and all, in its errors
    server.on("/api/v2/affiliates", Reply(401, {"error": f"bad key: /api/v2/affiliates?key={KEY}"}))
    server.on("/api/v2/season_types", Reply(200, {"season_types": "?"}))
    server.on("/api/v2/markets", Reply(500, f"failed GET /api/v2/markets?key={KEY}".encode()))

    assert isinstance(fetch(flavor, server.url, auth=auth), v2.SportsResponse)
    errors = [
        fails(flavor, server.url, "affiliates", auth=auth),
        fails(flavor, server.url, "season_types", auth=auth),
        fails(flavor, server.url, "markets", auth=auth),
        fails(flavor, f"http://127.0.0.1:{free_port()}", auth=auth),
    ]
    assert [type(e) for e in errors] == [
        AuthenticationError,
        DecodeError,
        ServerError,
        TransportError,
    ]
    assert "key=***" in str(errors[0])
    assert "key=***" in str(errors[2])

    # the key did reach the server, where the auth mode puts it
    (seen, *_) = server.requests_to(SPORTS)
    assert (KEY in seen.query) == (auth == "query")
    assert (seen.headers.get(KEY_HEADER) == KEY) == (auth == "header")

    # ... and shows nowhere on the client's side
    for error in errors:
        assert KEY not in str(error)
        assert KEY not in repr(error)
        assert all(KEY not in str(a) for a in error.args)
    api = Client(server.url, KEY, auth=auth)
    aapi = AsyncClient(server.url, KEY, auth=auth)
    api.close()
    asyncio.run(aapi.aclose())
    for shown in (repr(api), repr(aapi), repr(api.config), repr(aapi.config)):
        assert KEY not in shown
    requests = [
        r for r in caplog.records if r.name == "httpx" and "HTTP Request:" in r.getMessage()
    ]
    assert len(requests) >= 6  # httpx logged every request (the retry too)
    if auth == "query":
        assert all("key=***" in r.getMessage() for r in requests)
    assert caplog.records
    assert KEY not in caplog.text
    assert all(KEY not in r.getMessage() for r in caplog.records)


# ------------------------------------------------------------- Retry-After


def test_parse_retry_after() -> None:
    now = 1_790_000_000.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("   ") is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(" 1.5 ") == 1.5
    assert parse_retry_after("-3") == 0.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(date, now=now) == pytest.approx(30.0)
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0.0
    # the obsolete RFC 850 form and a date without a zone (taken as UTC)
    assert parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now=784111777.0) == 0.0
    assert parse_retry_after("Sun, 06 Nov 1994 08:50:37", now=784111777.0) == pytest.approx(60.0)


def test_retry_after_is_capped_by_the_policy() -> None:
    policy = RetryPolicy(max_retries=3, max_retry_after=10.0)
    assert policy.delay(0, 3600.0) == 10.0
    assert policy.delay(0, 2.0) == 2.0
