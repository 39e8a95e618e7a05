"""The SDK covers the server's endpoint registry: one builder per served route (retired
ones excepted), with the route's path, its query parameters under the API's names
(``from``/``to`` as ``since``/``until``), the response type the route declares, and the
same methods on both clients. Plus how :func:`call` writes query values."""

from __future__ import annotations

import asyncio
import inspect
import re
import tempfile
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, get_args, get_origin, get_type_hints

import pytest

from oddswire.api.app import all_endpoints
from oddswire.api.context import ApiContext
from oddswire.api.registry import Endpoint
from oddswire.client import AsyncClient, Call, Client
from oddswire.client import endpoints as ep
from oddswire.client.bind import asynchronous, sync
from oddswire.client.core import call, path_date, query_value
from oddswire.hub import Hub, HubSettings
from oddswire.refdata import load_catalog
from oddswire.store.sqlite import SqliteTickStore

#: The prefixes the SDK calls (V2 routes also answer under /api/v1/v2).
PREFIXES = ("/api/v2", "/api/v1", "/api")
#: API query names that are Python keywords, as the builders spell them.
RENAMED = {"from": "since", "to": "until"}
#: Route path parameter names the builders spell otherwise.
PATH_RENAMED = {"date": "day"}


@pytest.fixture(scope="module")
def registry() -> Iterator[list[Endpoint]]:
    with tempfile.TemporaryDirectory() as directory:
        hub = Hub(
            load_catalog(),
            SqliteTickStore(f"{directory}/registry.db"),
            settings=HubSettings(checkpoint_interval=0, prune_interval=0),
        )
        yield all_endpoints(ApiContext.for_hub(hub))


def retired(endpoint: Endpoint) -> bool:
    return "Retired" in endpoint.tag


def builders() -> dict[str, Callable[..., Call[Any]]]:
    return {
        name: getattr(ep, name)
        for name in ep.__all__
        if name[0].islower() and inspect.isfunction(getattr(ep, name))
    }


# ------------------------------------------------------------ sample calls


@dataclass
class Sample:
    """A builder called with a distinct value for every parameter, and how each value
    must appear on the wire."""

    call: Call[Any]
    wire: dict[str, str]  # parameter name -> encoded value


class Values:
    def __init__(self) -> None:
        self.n = 900

    def next_int(self) -> int:
        self.n += 1
        return self.n

    def sample(self, name: str, hint: Any) -> tuple[Any, str]:
        options = set(get_args(hint)) if isinstance(hint, types.UnionType) else {hint}
        options.discard(type(None))
        if bool in options:
            return True, "true"
        if datetime in options:
            return datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC), "2031-01-02T03:04:05Z"
        if date in options:
            day = date(2031, 1, 1) + timedelta(days=self.next_int() % 28)
            return day, day.isoformat()
        if float in options:
            return 2.5, "2.5"
        if int in options:
            n = self.next_int()
            return n, str(n)
        if str in options:
            text = f"w{self.next_int()}"
            return text, text
        inner = {a for o in options if get_origin(o) is Iterable for a in get_args(o)}
        if int in inner:
            m, n = self.next_int(), self.next_int()
            return [m, n], f"{m},{n}"
        if str in inner:
            u, w = f"w{self.next_int()}", f"w{self.next_int()}"
            return (x for x in (u, w)), f"{u},{w}"  # any iterable, a generator too
        raise AssertionError(f"{name}: no sample for {hint!r}")


def sample(builder: Callable[..., Call[Any]]) -> Sample:
    hints = get_type_hints(builder)
    values = Values()
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    wire: dict[str, str] = {}
    for p in inspect.signature(builder).parameters.values():
        value, wire[p.name] = values.sample(p.name, hints[p.name])
        if p.kind is p.KEYWORD_ONLY:
            kwargs[p.name] = value
        else:
            args.append(value)
    return Sample(builder(*args, **kwargs), wire)


def template(endpoint: Endpoint, prefix: str) -> re.Pattern[str]:
    full = re.escape(prefix + endpoint.path)
    return re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", full) + "$")


def route_of(path: str, routes: list[Endpoint]) -> tuple[Endpoint, str] | None:
    """The route the server runs for ``path``: the first that matches, as Starlette
    routes (``/hedge/top`` before ``/hedge/{hedge_id}``)."""
    for endpoint in routes:
        for prefix in endpoint.prefixes:
            if prefix in PREFIXES and template(endpoint, prefix).match(path):
                return endpoint, prefix
    return None


# -------------------------------------------------------------------- tests


def test_every_served_route_has_exactly_one_builder(registry: list[Endpoint]) -> None:
    served = [e for e in registry if not retired(e)]
    claimed: dict[str, list[str]] = {}
    for name, builder in builders().items():
        path = sample(builder).call.path
        found = route_of(path, registry)
        assert found is not None, f"{name}: no route serves {path}"
        endpoint, prefix = found
        assert not retired(endpoint), f"{name} calls the retired {prefix}{endpoint.path}"
        claimed.setdefault(endpoint.prefixes[0] + endpoint.path, []).append(name)
    routes = {e.prefixes[0] + e.path for e in served}
    assert set(claimed) == routes, f"no builder for {sorted(routes - set(claimed))}"
    assert {k: v for k, v in claimed.items() if len(v) > 1} == {}
    assert len(builders()) == len(served)


@pytest.mark.parametrize("name", sorted(builders()))
def test_builder_matches_its_route(registry: list[Endpoint], name: str) -> None:
    builder = builders()[name]
    got = sample(builder)
    found = route_of(got.call.path, registry)
    assert found is not None, f"no route serves {got.call.path}"
    endpoint, prefix = found

    # the path, with each path parameter where the route has it
    path_params = [p.name for p in endpoint.params if p.location == "path"]
    expected = prefix + endpoint.path
    for p in path_params:
        expected = expected.replace("{" + p + "}", got.wire[PATH_RENAMED.get(p, p)])
    assert got.call.path == expected

    # the query: every parameter under the API's name, written as the API reads it
    query = [p for p in endpoint.params if p.location == "query"]
    sent = dict(got.call.params)
    assert len(sent) == len(got.call.params), "a query parameter is sent twice"
    assert sent == {p.name: got.wire[RENAMED.get(p.name, p.name)] for p in query}

    # the signature: path parameters first, in the route's order, then the required query
    # parameters (positional or keyword), then every optional one, keyword-only
    params = list(inspect.signature(builder).parameters.values())
    required = [p.name for p in query if p.required]
    positional = [PATH_RENAMED.get(p, p) for p in path_params] + required
    assert [p.name for p in params[: len(positional)]] == positional
    assert all(
        p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty
        for p in params[: len(positional)]
    )
    rest = params[len(positional) :]
    assert all(p.kind is p.KEYWORD_ONLY and p.default is None for p in rest)
    optional = {RENAMED.get(p.name, p.name) for p in query if not p.required}
    assert {p.name for p in rest} == optional

    # the response type the route declares, and a docstring naming the route
    assert got.call.response == endpoint.response
    assert got.call.method == "GET"
    assert (builder.__doc__ or "").startswith(f"``GET {prefix}{endpoint.path}``")


def test_optional_parameters_are_left_out_when_not_given() -> None:
    for name, builder in builders().items():
        params = inspect.signature(builder).parameters.values()
        hints = get_type_hints(builder)
        values = Values()
        args = [values.sample(p.name, hints[p.name])[0] for p in params if p.default is p.empty]
        required = {p.name for p in params if p.default is p.empty}
        sent = {k for k, _ in builder(*args).params}
        assert sent <= required, f"{name} sends {sorted(sent - required)} by default"


def endpoint_methods(cls: type) -> dict[str, Any]:
    return {n: v for n, v in vars(cls).items() if isinstance(v, (sync, asynchronous))}


def test_both_clients_expose_every_builder_under_its_name() -> None:
    blocking = endpoint_methods(Client)
    concurrent = endpoint_methods(AsyncClient)
    assert set(blocking) == set(concurrent) == set(builders())
    for name, builder in builders().items():
        assert isinstance(blocking[name], sync)
        assert isinstance(concurrent[name], asynchronous)
        assert blocking[name].build is builder
        assert concurrent[name].build is builder


def test_bound_methods_keep_the_builders_signature_and_doc() -> None:
    api = Client("http://127.0.0.1:9", "k")
    aapi = AsyncClient("http://127.0.0.1:9", "k")
    try:
        for name, builder in builders().items():
            for method in (getattr(api, name), getattr(aapi, name)):
                assert inspect.signature(method) == inspect.signature(builder), name
                assert method.__doc__ == builder.__doc__
            assert inspect.iscoroutinefunction(getattr(aapi, name))
    finally:
        api.close()
        asyncio.run(aapi.aclose())


# ----------------------------------------------------------------- encoding


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        (None, None),
        (True, "true"),
        (False, "false"),
        (0, "0"),
        (-7, "-7"),
        (2.5, "2.5"),
        ("2ways,middles", "2ways,middles"),  # a string is sent as given, not split
        ("", ""),
        ([1, 2, 3], "1,2,3"),
        ((19, 23), "19,23"),
        ({5}, "5"),
        ([], ""),
        (["regions", "all_periods"], "regions,all_periods"),
        ((n for n in (4, 6)), "4,6"),
        (date(2026, 11, 22), "2026-11-22"),
        (datetime(2026, 11, 22, 1, 2, 3), "2026-11-22T01:02:03Z"),  # naive is UTC
        (
            datetime(2026, 11, 22, 1, 2, 3, 999, tzinfo=timezone(timedelta(hours=-5))),
            "2026-11-22T06:02:03Z",
        ),
    ],
)
def test_query_value(value: Any, wire: str | None) -> None:
    assert query_value(value) == wire


def test_call_keeps_given_parameters_in_order_and_drops_none() -> None:
    c = call(
        "/api/v2/x",
        dict,
        b=[1, 2],
        a=None,
        main_line=False,
        day=date(2026, 1, 2),
        include="regions",
    )
    assert c.params == (
        ("b", "1,2"),
        ("main_line", "false"),
        ("day", "2026-01-02"),
        ("include", "regions"),
    )
    assert (c.path, c.response, c.method) == ("/api/v2/x", dict, "GET")


def test_builders_write_queries_as_the_api_reads_them() -> None:
    c = ep.sport_events(
        4, date(2026, 11, 22), market_ids=[1, 2, 3], main_line=True, event_status=["STATUS_FINAL"]
    )
    assert c.path == "/api/v2/sports/4/events/2026-11-22"
    assert c.params == (
        ("market_ids", "1,2,3"),
        ("main_line", "true"),
        ("event_status", "STATUS_FINAL"),
    )
    history = ep.event_markets_history(
        "e1", since=datetime(2026, 11, 21, 22, 0, tzinfo=UTC), until="2026-11-22T00:00:00Z", limit=5
    )
    assert dict(history.params) == {
        "limit": "5",
        "from": "2026-11-21T22:00:00Z",
        "to": "2026-11-22T00:00:00Z",
    }
    assert ep.markets_delta(79511).params == (("last_id", "79511"),)
    assert ep.v1_sport_schedule(4, since=date(2026, 11, 21)).params == (("from", "2026-11-21"),)
    assert ep.team(4012).path == "/api/v2/teams/4012/"  # the route has the trailing slash
    assert ep.hedge(type=["2ways", "middles"]).params == (("type", "2ways,middles"),)


def test_path_date() -> None:
    assert path_date(date(2026, 11, 22)) == "2026-11-22"
    assert path_date("2026-11-22") == "2026-11-22"
    assert path_date("1795392000") == "1795392000"
