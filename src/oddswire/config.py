"""Settings: defaults, then a TOML config file, then ``ODDSWIRE_*`` environment
variables, then command-line flags (each overriding the one before).

One table, :data:`OPTIONS`, names every setting once; the CLI flags, the environment
variable names, the config-file keys and the validation all come from it.
"""

from __future__ import annotations

import argparse
import math
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import msgspec

ENV_PREFIX = "ODDSWIRE_"
DEFAULT_CONFIG_FILE = "oddswire.toml"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
SIM_SPORTS = (1, 2, 3, 4, 5, 6, 10, 11)


class ConfigError(Exception):
    """A setting is missing, malformed or out of range; the message names where."""


def default_db_path() -> str:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "share"
    )
    return os.path.join(base, "oddswire", "oddswire.db")


class Settings(msgspec.Struct, kw_only=True, frozen=True):
    """Every setting of ``oddswire serve``; see :data:`OPTIONS` for what each means."""

    host: str = "127.0.0.1"
    port: int = 8080
    db: str = msgspec.field(default_factory=default_db_path)
    seed: int = 7
    rate: float = 250.0
    clock_speed: float = 1.0
    sim_start: str | None = None
    days_back: int = 1
    days_ahead: int = 3
    all_sports: bool = False
    sports: list[int] | None = None
    api_keys: list[str] = []
    demo_key: bool = True
    tiers_file: str | None = None
    static_key_tier: str = "admin"
    retention_days: float = 7.0
    checkpoint_interval: float = 300.0
    quick_check: bool = True
    log_level: str = "info"
    access_log: bool = False
    # Hardening (docs/deployment.md).
    max_body_bytes: int = 64 * 1024
    max_query_bytes: int = 8 * 1024
    max_query_params: int = 100
    max_header_bytes: int = 16 * 1024
    ws_max_frame_bytes: int = 64 * 1024
    max_subscriptions: int = 1000
    cors_origins: list[str] = []
    tls_certfile: str | None = None
    tls_keyfile: str | None = None
    analytics: bool = True
    max_leg_age: float = 1800.0
    live_max_leg_age: float = 60.0
    settle_seconds: float = 1.0
    min_ev_pct: float = 2.0
    ev_method: str = "multiplicative"
    middle_max_cost_pct: float = 3.0
    # Sources (docs/sources.md).
    sources: list[str] | None = None
    record_dir: str | None = None
    replay: list[str] = []
    replay_speed: float = 1.0
    match_tolerance_minutes: float = 120.0
    team_aliases: str | None = None
    therundown_key: str | None = None
    therundown_url: str = "https://therundown.io"
    therundown_sports: list[int] = msgspec.field(default_factory=lambda: [1, 2, 3, 4, 5, 6])
    therundown_days: int = 2
    therundown_markets: list[int] = msgspec.field(default_factory=lambda: [1, 2, 3])
    therundown_affiliates: list[int] = []
    therundown_mode: str = "auto"
    therundown_poll_interval: float = 5.0
    therundown_reserve: int = 0
    therundown_per_hour: int | None = None
    therundown_ws_auth: str = "header"
    therundown_warm_up_timeout: float = 20.0
    therundown_request_timeout: float = 15.0
    therundown_refresh_interval: float = 600.0
    therundown_stream_retry: float = 300.0
    therundown_stream_failures: int = 3
    therundown_heartbeat_timeout: float = 60.0
    therundown_quota_pause: float = 900.0
    therundown_max_backoff: float = 30.0
    therundown_delta_limit: int = 1000
    boltodds_key: str | None = None
    boltodds_url: str = "wss://spro.agency/api"
    boltodds_http_url: str = "https://spro.agency/api"
    boltodds_sports: list[str] = []
    boltodds_books: list[str] = []
    boltodds_markets: list[str] = []
    boltodds_games: list[str] = []
    boltodds_min_reconnect: float = 5.0
    boltodds_max_backoff: float = 120.0
    boltodds_settle_quiet: float = 1.0
    boltodds_settle_max: float = 15.0
    boltodds_idle_timeout: float = 90.0
    boltodds_warm_up_timeout: float = 20.0
    oddsapi_key: str | None = None
    oddsapi_url: str = "https://api.the-odds-api.com"
    oddsapi_sports: list[str] = msgspec.field(
        default_factory=lambda: [
            "americanfootball_nfl",
            "americanfootball_ncaaf",
            "basketball_nba",
            "basketball_ncaab",
            "baseball_mlb",
            "icehockey_nhl",
        ]
    )
    oddsapi_regions: list[str] = msgspec.field(default_factory=lambda: ["us"])
    oddsapi_markets: list[str] = msgspec.field(default_factory=lambda: ["h2h", "spreads", "totals"])
    oddsapi_bookmakers: list[str] = []
    oddsapi_interval: float = 60.0
    oddsapi_reserve: int = 0
    oddsapi_per_hour: int | None = None
    oddsapi_pause_polls: int = 10
    oddsapi_auth_retry: float | None = None
    oddsapi_max_retry_after: float = 600.0
    oddsapi_request_timeout: float = 10.0
    oddsapi_warm_up_timeout: float = 20.0

    @property
    def source_names(self) -> list[str]:
        """The live sources to run: ``sources``, else the simulator unless replaying."""
        if self.sources is not None:
            return self.sources
        return [] if self.replay else ["simulator"]


SOURCE_NAMES = ("simulator", "therundown", "boltodds", "oddsapi")
THERUNDOWN_MODES = ("auto", "stream", "poll")
#: How TheRundown's stream upgrade carries the key: a header, or ``?key=``.
THERUNDOWN_WS_AUTHS = ("header", "query")
#: Options given once per value on the command line (``--source a --source b``).
REPEATABLE = {"api_keys": "--api-key", "sources": "--source", "replay": "--replay"}


Check = Callable[[Any], str | None]


def _positive(value: float) -> str | None:
    return None if math.isfinite(value) and value > 0 else "must be a positive number"


def _at_least(low: float, high: float = math.inf) -> Check:
    def check(value: float) -> str | None:
        if math.isfinite(value) and low <= value <= high:
            return None
        return f"must be between {low:g} and {high:g}" if high < math.inf else f"must be >= {low:g}"

    return check


def _port(value: int) -> str | None:
    return (
        None
        if 0 <= value <= 65535
        else "must be a TCP port between 0 and 65535 (0 = any free port)"
    )


def _nonempty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def _keys(values: list[str]) -> str | None:
    for key in values:
        if len(key) < 8 or any(ch.isspace() for ch in key) or not key.isprintable():
            return "each API key must be at least 8 printable characters with no spaces"
    return None


def _sports(values: list[int] | None) -> str | None:
    if values is None:
        return None
    unknown = [s for s in values if s not in SIM_SPORTS]
    if not values or unknown:
        return f"must be a non-empty list of simulated sport ids {list(SIM_SPORTS)}"
    return None


def _moment(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return "must be an ISO 8601 time such as 2026-11-21T22:00:00Z"
    return None if moment.tzinfo is not None else "must include a time zone (Z for UTC)"


def _log_level(value: str) -> str | None:
    return None if value.lower() in LOG_LEVELS else f"must be one of {', '.join(LOG_LEVELS)}"


def _sources(values: list[str] | None) -> str | None:
    if values is None:
        return None
    unknown = [v for v in values if v not in SOURCE_NAMES]
    if unknown or len(set(values)) != len(values):
        return f"must name each source at most once, from {', '.join(SOURCE_NAMES)}"
    return None


def _url(value: str) -> str | None:
    schemes = ("http://", "https://", "ws://", "wss://")
    return None if value.startswith(schemes) else "must be an http(s):// or ws(s):// URL"


def _mode(value: str) -> str | None:
    return None if value in THERUNDOWN_MODES else f"must be one of {', '.join(THERUNDOWN_MODES)}"


def _ws_auth(value: str) -> str | None:
    if value in THERUNDOWN_WS_AUTHS:
        return None
    return f"must be one of {', '.join(THERUNDOWN_WS_AUTHS)}"


def _optional_positive_int(value: int | None) -> str | None:
    return None if value is None or value > 0 else "must be a positive whole number"


def _optional_positive(value: float | None) -> str | None:
    return None if value is None else _positive(value)


def _games(values: list[str]) -> str | None:
    if all(v.strip() for v in values):
        return None
    return "must list game strings as get_games names them (none empty)"


def _nonnegative_int(value: int) -> str | None:
    return None if value >= 0 else "must be >= 0"


def _nonempty_list(values: list[str]) -> str | None:
    return None if values and all(v.strip() for v in values) else "must list at least one"


def _origins(values: list[str]) -> str | None:
    for origin in values:
        if origin != "*" and (
            not origin.startswith(("http://", "https://")) or origin.endswith("/")
        ):
            return "must list origins such as https://app.example.com (no path), or *"
    return None


EV_METHODS = ("multiplicative", "additive", "power", "shin", "odds_ratio", "worst_case")


def _ev_method(value: str) -> str | None:
    return None if value in EV_METHODS else f"must be one of {', '.join(EV_METHODS)}"


@dataclass(frozen=True, slots=True)
class Option:
    name: str
    help: str
    check: Check | None = None
    metavar: str | None = None
    #: What separates a list's items in an environment variable or a flag.
    separator: str = ","

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()


OPTIONS: tuple[Option, ...] = (
    Option("host", "address to listen on", _nonempty, "HOST"),
    Option("port", "TCP port to listen on (0 picks a free port)", _port, "PORT"),
    Option("db", "path of the SQLite tick store", _nonempty, "PATH"),
    Option("seed", "simulator seed (same seed, same market)", None, "N"),
    Option("rate", "simulator changes per second", _at_least(0.001, 1_000_000), "N"),
    Option("clock_speed", "simulated seconds per real second", _at_least(0.001, 100_000), "X"),
    Option(
        "sim_start", "run the simulated market from this moment (default: now)", _moment, "TIME"
    ),
    Option("days_back", "simulate schedules from this many days ago", _at_least(0, 14), "N"),
    Option("days_ahead", "simulate schedules this many days ahead", _at_least(0, 14), "N"),
    Option("all_sports", "simulate every sport, in season or not"),
    Option("sports", "simulate only these sport ids (comma-separated)", _sports, "IDS"),
    Option("api_keys", "API keys to accept besides the demo key", _keys, "KEY"),
    Option("demo_key", "accept (and print) the store's demo API key"),
    Option("tiers_file", "TOML file changing or adding tiers (docs/access.md)", _nonempty, "PATH"),
    Option("static_key_tier", "tier of --api-key keys and the demo key", _nonempty, "TIER"),
    Option("retention_days", "delete events that started this many days ago", _positive, "DAYS"),
    Option("checkpoint_interval", "seconds between board checkpoints (0 = off)", _at_least(0), "S"),
    Option("quick_check", "check the store's integrity when opening it"),
    Option("log_level", "critical, error, warning, info or debug", _log_level, "LEVEL"),
    Option("access_log", "log every HTTP request"),
    Option("max_body_bytes", "refuse request bodies over this size (413)", _at_least(0), "N"),
    Option("max_query_bytes", "refuse longer request targets (414)", _at_least(256), "N"),
    Option("max_query_params", "refuse more query parameters (400)", _at_least(1), "N"),
    Option("max_header_bytes", "refuse larger request headers (431)", _at_least(1024), "N"),
    Option(
        "ws_max_frame_bytes",
        "close WebSockets sending a bigger frame (1009)",
        _at_least(1024, 64 * 1024 * 1024),
        "N",
    ),
    Option("max_subscriptions", "subscriptions per multiplexed connection", _at_least(1), "N"),
    Option(
        "cors_origins",
        "browser origins allowed by CORS (comma-separated; * = any)",
        _origins,
        "URLS",
    ),
    Option(
        "tls_certfile",
        "serve HTTPS/WSS with this PEM certificate (with tls_keyfile)",
        _nonempty,
        "PATH",
    ),
    Option("tls_keyfile", "the PEM private key of tls_certfile", _nonempty, "PATH"),
    Option("analytics", "run the live detectors (arbitrage, middles, +EV, steam, outliers)"),
    Option("max_leg_age", "seconds a pre-game price may stand still and count", _positive, "S"),
    Option("live_max_leg_age", "the same for in-play prices", _positive, "S"),
    Option("settle_seconds", "seconds a price must hold before it counts", _at_least(0, 60), "S"),
    Option("min_ev_pct", "report +EV bets with at least this edge (%%)", _at_least(0, 100), "PCT"),
    Option("ev_method", "devig method of the +EV fair line", _ev_method, "METHOD"),
    Option(
        "middle_max_cost_pct",
        "largest loss (%%) a middle may cost when it misses",
        _at_least(0, 100),
        "PCT",
    ),
    Option(
        "sources",
        "feed the board from this source (repeatable): " + ", ".join(SOURCE_NAMES),
        _sources,
        "NAME",
    ),
    Option(
        "record_dir",
        "record every upstream source's raw messages into this directory",
        _nonempty,
        "DIR",
    ),
    Option("replay", "replay a recording through its vendor's decoder (repeatable)", None, "PATH"),
    Option(
        "replay_speed",
        "replay pacing: 1 = as recorded, 10 = ten times faster, 0 = flat out",
        _at_least(0, 1_000_000),
        "X",
    ),
    Option(
        "match_tolerance_minutes",
        "feeds' start times for one game may differ by this much",
        _at_least(0, 1440),
        "MIN",
    ),
    Option(
        "team_aliases", "JSON file of extra team spellings (docs/sources.md)", _nonempty, "PATH"
    ),
    Option(
        "therundown_key", "TheRundown API key (better: env ODDSWIRE_THERUNDOWN_KEY)", None, "KEY"
    ),
    Option("therundown_url", "TheRundown base URL", _url, "URL"),
    Option("therundown_sports", "TheRundown sport ids to follow", None, "IDS"),
    Option(
        "therundown_days",
        "TheRundown: follow events from today on this many days",
        _at_least(1, 14),
        "N",
    ),
    Option("therundown_markets", "TheRundown market ids to follow", None, "IDS"),
    Option("therundown_affiliates", "TheRundown books to follow (default all)", None, "IDS"),
    Option("therundown_mode", "auto (stream, else poll), stream or poll", _mode, "MODE"),
    Option("therundown_poll_interval", "seconds between TheRundown delta polls", _positive, "S"),
    Option(
        "therundown_reserve",
        "never let TheRundown's data points remaining fall below this",
        _nonnegative_int,
        "N",
    ),
    Option(
        "therundown_per_hour",
        "spend at most this many TheRundown data points an hour",
        _optional_positive_int,
        "N",
    ),
    Option(
        "therundown_ws_auth",
        "how TheRundown's stream upgrade carries the key: header or query (?key=)",
        _ws_auth,
        "HOW",
    ),
    Option(
        "therundown_warm_up_timeout",
        "seconds TheRundown's warm-up may take before the hub starts without it",
        _positive,
        "S",
    ),
    Option("therundown_request_timeout", "seconds one TheRundown request may take", _positive, "S"),
    Option(
        "therundown_refresh_interval",
        "seconds between TheRundown schedule refreshes (events, scores, statuses)",
        _at_least(10),
        "S",
    ),
    Option(
        "therundown_stream_retry",
        "auto mode: seconds of polling before TheRundown's stream is tried again",
        _positive,
        "S",
    ),
    Option(
        "therundown_stream_failures",
        "auto mode: stream attempts in a row without data before polling instead",
        _at_least(1),
        "N",
    ),
    Option(
        "therundown_heartbeat_timeout",
        "seconds of TheRundown stream silence that make it dead (heartbeat: 15 s)",
        _at_least(20),
        "S",
    ),
    Option(
        "therundown_quota_pause",
        "seconds TheRundown requests pause when the data-point reserve or quota stops them",
        _positive,
        "S",
    ),
    Option(
        "therundown_max_backoff",
        "longest TheRundown reconnect or retry backoff (seconds, from 1 s)",
        _at_least(1),
        "S",
    ),
    Option(
        "therundown_delta_limit",
        "rows per TheRundown markets/delta page",
        _at_least(1, 5000),
        "N",
    ),
    Option("boltodds_key", "BoltOdds API key (better: env ODDSWIRE_BOLTODDS_KEY)", None, "KEY"),
    Option("boltodds_url", "BoltOdds WebSocket URL", _url, "URL"),
    Option("boltodds_http_url", "BoltOdds discovery (get_info...) base URL", _url, "URL"),
    Option("boltodds_sports", "BoltOdds sports to subscribe to (default all)", None, "NAMES"),
    Option("boltodds_books", "BoltOdds sportsbooks to subscribe to (default all)", None, "KEYS"),
    Option("boltodds_markets", "BoltOdds markets to subscribe to (default all)", None, "NAMES"),
    Option(
        "boltodds_games",
        "BoltOdds games to subscribe to, as get_games names them (semicolon-separated; "
        "default all)",
        _games,
        "GAMES",
        separator=";",
    ),
    Option(
        "boltodds_min_reconnect",
        "seconds at least between BoltOdds connects (and the first backoff step)",
        _positive,
        "S",
    ),
    Option(
        "boltodds_max_backoff",
        "longest wait between failing BoltOdds connects (seconds)",
        _positive,
        "S",
    ),
    Option(
        "boltodds_settle_quiet",
        "BoltOdds' initial state is in after this many seconds without one",
        _positive,
        "S",
    ),
    Option(
        "boltodds_settle_max",
        "BoltOdds' initial state is in at most this many seconds after subscribing",
        _positive,
        "S",
    ),
    Option(
        "boltodds_idle_timeout",
        "seconds of BoltOdds socket silence before reconnecting (pings: 15-20 s)",
        _at_least(30),
        "S",
    ),
    Option(
        "boltodds_warm_up_timeout",
        "seconds BoltOdds' warm-up may take before the hub starts without it",
        _positive,
        "S",
    ),
    Option("oddsapi_key", "The Odds API key (better: env ODDSWIRE_ODDSAPI_KEY)", None, "KEY"),
    Option("oddsapi_url", "The Odds API base URL", _url, "URL"),
    Option("oddsapi_sports", "The Odds API sport keys to poll", _nonempty_list, "KEYS"),
    Option("oddsapi_regions", "The Odds API regions (us, us2, uk, eu, au)", _nonempty_list, "LIST"),
    Option(
        "oddsapi_markets", "The Odds API markets (h2h, spreads, totals)", _nonempty_list, "LIST"
    ),
    Option("oddsapi_bookmakers", "The Odds API bookmakers (overrides regions)", None, "KEYS"),
    Option("oddsapi_interval", "seconds between polls of each sport", _at_least(1), "S"),
    Option(
        "oddsapi_reserve",
        "never let The Odds API's credits remaining fall below this",
        _nonnegative_int,
        "N",
    ),
    Option(
        "oddsapi_per_hour",
        "spend at most this many The Odds API credits an hour",
        _optional_positive_int,
        "N",
    ),
    Option(
        "oddsapi_pause_polls",
        "out of credits: re-read the balance every this many poll intervals",
        _at_least(1),
        "N",
    ),
    Option(
        "oddsapi_auth_retry",
        "seconds between tries of a refused key (default: max(300, interval x pause_polls))",
        _optional_positive,
        "S",
    ),
    Option(
        "oddsapi_max_retry_after",
        "longest 429 Retry-After honoured (seconds)",
        _positive,
        "S",
    ),
    Option("oddsapi_request_timeout", "seconds one The Odds API request may take", _positive, "S"),
    Option(
        "oddsapi_warm_up_timeout",
        "seconds The Odds API's warm-up may take before the hub starts without it",
        _positive,
        "S",
    ),
)
_BY_NAME = {o.name: o for o in OPTIONS}
_FIELD_TYPES: dict[str, Any] = {f.name: f.type for f in msgspec.structs.fields(Settings)}


def _convert(name: str, raw: Any, where: str) -> Any:
    kind = _FIELD_TYPES[name]
    given = raw  # errors quote what was written, not what it was converted to
    if isinstance(raw, str):
        raw = _from_text(name, raw, kind, where)
    try:
        value = msgspec.convert(raw, type=kind, strict=False)
    except msgspec.ValidationError as exc:
        raise ConfigError(f"{where}: invalid value {raw!r}: {exc}") from None
    check = _BY_NAME[name].check
    problem = check(value) if check else None
    if problem:
        raise ConfigError(f"{where} {problem}, got {given!r}")
    return value


def _from_text(name: str, text: str, kind: Any, where: str) -> Any:
    text = text.strip()
    if kind is bool:
        lowered = text.lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"{where} must be true or false, got {text!r}")
    if kind in (list[str], list[int], list[int] | None, list[str] | None):
        if not text:
            return []
        separator = _BY_NAME[name].separator
        return [part.strip() for part in text.split(separator) if part.strip()]
    if kind in (int, int | None):
        try:
            return int(text)
        except ValueError:
            raise ConfigError(f"{where} must be a whole number, got {text!r}") from None
    if kind in (float, float | None):
        try:
            return float(text)
        except ValueError:
            raise ConfigError(f"{where} must be a number, got {text!r}") from None
    return text


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags for every setting (defaults are None, meaning: not given)."""
    parser.add_argument(
        "--config",
        metavar="PATH",
        help="TOML config file (default: ./oddswire.toml if present; env ODDSWIRE_CONFIG)",
    )
    for option in OPTIONS:
        kind = _FIELD_TYPES[option.name]
        dest = "opt_" + option.name
        if kind is bool:
            parser.add_argument(
                option.flag,
                dest=dest,
                action=argparse.BooleanOptionalAction,
                default=None,
                help=option.help,
            )
        elif option.name in REPEATABLE:
            parser.add_argument(
                REPEATABLE[option.name],
                dest=dest,
                action="append",
                metavar=option.metavar,
                default=None,
                help=f"{option.help} (repeatable)",
            )
        else:
            parser.add_argument(
                option.flag, dest=dest, metavar=option.metavar, default=None, help=option.help
            )


def load_settings(
    args: argparse.Namespace | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: str | None = None,
) -> Settings:
    """Merge defaults, config file, environment and flags; raise ConfigError if invalid."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}

    config_path = getattr(args, "config", None) or environ.get(ENV_PREFIX + "CONFIG")
    explicit = config_path is not None
    if config_path is None:
        candidate = Path(cwd or os.getcwd()) / DEFAULT_CONFIG_FILE
        config_path = str(candidate) if candidate.is_file() else None
    if config_path is not None:
        values.update(_read_config_file(config_path, required=explicit))

    for option in OPTIONS:
        raw = environ.get(option.env)
        if raw is not None:
            values[option.name] = _convert(option.name, raw, f"environment variable {option.env}")

    if args is not None:
        for option in OPTIONS:
            raw = getattr(args, "opt_" + option.name, None)
            if raw is None:
                continue
            flag = REPEATABLE.get(option.name, option.flag)
            values[option.name] = _convert(option.name, raw, flag)

    settings = Settings(**values)
    _check_sources(settings)
    _check_source_timings(settings)
    _check_tiers(settings)
    _check_tls(settings)
    if settings.days_back + settings.days_ahead > 21:
        raise ConfigError("days_back + days_ahead must not exceed 21 days")
    return settings


def _check_tiers(settings: Settings) -> None:
    from oddswire.access.tiers import TierError, Tiers

    try:
        tiers = Tiers.from_file(settings.tiers_file)
        tiers[settings.static_key_tier]
    except TierError as exc:
        raise ConfigError(str(exc)) from None


def _check_tls(settings: Settings) -> None:
    certfile, keyfile = settings.tls_certfile, settings.tls_keyfile
    if (certfile is None) != (keyfile is None):
        raise ConfigError("tls_certfile and tls_keyfile go together: give both or neither")
    for name, path in (("tls_certfile", certfile), ("tls_keyfile", keyfile)):
        if path is not None and not os.path.isfile(path):
            raise ConfigError(f"{name}: no file at {path}")
    if certfile is not None:
        import ssl

        def no_password() -> str:
            raise ConfigError(f"tls_keyfile: {keyfile} is encrypted; give an unencrypted key")

        try:
            ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(
                certfile, keyfile, password=no_password
            )
        except (ssl.SSLError, OSError) as exc:
            raise ConfigError(
                f"tls_certfile/tls_keyfile: cannot load {certfile} with {keyfile}: {exc}"
            ) from None


def _check_sources(settings: Settings) -> None:
    names = settings.source_names
    if not names and not settings.replay:
        raise ConfigError("no source: name at least one with --source, or --replay a recording")
    for vendor in ("therundown", "boltodds", "oddsapi"):
        if vendor in names and not getattr(settings, f"{vendor}_key"):
            raise ConfigError(
                f"source {vendor} needs an API key: set {ENV_PREFIX}{vendor.upper()}_KEY "
                f"(or {vendor}_key in the config file)"
            )
    for path in settings.replay:
        if not os.path.isfile(path):
            raise ConfigError(f"--replay: no recording at {path}")


def _check_source_timings(settings: Settings) -> None:
    """Timings that only make sense together."""
    for low, high in (
        ("boltodds_min_reconnect", "boltodds_max_backoff"),
        ("boltodds_settle_quiet", "boltodds_settle_max"),
    ):
        low_value, high_value = getattr(settings, low), getattr(settings, high)
        if high_value < low_value:
            raise ConfigError(f"{high} ({high_value:g}) must be >= {low} ({low_value:g})")


def _read_config_file(path: str, *, required: bool) -> dict[str, Any]:
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        if required:
            raise ConfigError(f"config file {path} does not exist") from None
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc}") from None
    section = data.get("oddswire", data)
    if not isinstance(section, dict):
        raise ConfigError(f"config file {path}: [oddswire] must be a table")
    values: dict[str, Any] = {}
    for key, raw in section.items():
        name = key.replace("-", "_")
        if name not in _BY_NAME:
            known = ", ".join(sorted(_BY_NAME))
            raise ConfigError(f"config file {path}: unknown setting {key!r} (known: {known})")
        values[name] = _convert(name, raw, f"{key} in {path}")
    return values
