"""The vendors' timings and BoltOdds' games filter as settings: file, environment and
flags, and clear refusals of values that cannot work."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from oddswire.config import ConfigError, Settings, add_serve_arguments, load_settings

GAME = "San Francisco Giants vs Philadelphia Phillies, 2025-07-07, 09"
OTHER = "Corinthians vs Bragantino, 2025-07-13, 06"


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    return parser.parse_args(list(argv))


def test_defaults_are_the_sources_own(tmp_path: Path) -> None:
    s = load_settings(parse(), environ={}, cwd=str(tmp_path))
    assert s == Settings(db=s.db)
    assert s.therundown_ws_auth == "header"
    assert (s.therundown_warm_up_timeout, s.therundown_request_timeout) == (20.0, 15.0)
    assert (s.therundown_refresh_interval, s.therundown_stream_retry) == (600.0, 300.0)
    assert (s.therundown_stream_failures, s.therundown_heartbeat_timeout) == (3, 60.0)
    assert (s.therundown_quota_pause, s.therundown_max_backoff) == (900.0, 30.0)
    assert s.therundown_delta_limit == 1000
    assert s.boltodds_games == []
    assert (s.boltodds_min_reconnect, s.boltodds_max_backoff) == (5.0, 120.0)
    assert (s.boltodds_settle_quiet, s.boltodds_settle_max) == (1.0, 15.0)
    assert (s.boltodds_idle_timeout, s.boltodds_warm_up_timeout) == (90.0, 20.0)
    assert (s.oddsapi_pause_polls, s.oddsapi_auth_retry) == (10, None)
    assert (s.oddsapi_max_retry_after, s.oddsapi_request_timeout) == (600.0, 10.0)
    assert s.oddsapi_warm_up_timeout == 20.0


def test_file_environment_and_flags(tmp_path: Path) -> None:
    (tmp_path / "oddswire.toml").write_text(
        'therundown-ws-auth = "query"\n'
        "boltodds_settle_quiet = 2\n"
        f'boltodds-games = ["{GAME}", "{OTHER}"]\n'
        "oddsapi-auth-retry = 900\n"
    )
    from_file = load_settings(parse(), environ={}, cwd=str(tmp_path))
    assert from_file.therundown_ws_auth == "query"
    assert from_file.boltodds_settle_quiet == 2.0
    assert from_file.boltodds_games == [GAME, OTHER]
    assert from_file.oddsapi_auth_retry == 900.0

    env = {
        "ODDSWIRE_BOLTODDS_GAMES": f" {GAME} ; {OTHER};",  # commas are inside the names
        "ODDSWIRE_ODDSAPI_AUTH_RETRY": "120.5",
        "ODDSWIRE_THERUNDOWN_STREAM_FAILURES": "5",
    }
    from_env = load_settings(parse(), environ=env, cwd=str(tmp_path))
    assert from_env.boltodds_games == [GAME, OTHER]
    assert from_env.oddsapi_auth_retry == 120.5
    assert from_env.therundown_stream_failures == 5

    flags = load_settings(
        parse(
            "--boltodds-games",
            GAME,
            "--therundown-ws-auth",
            "header",
            "--boltodds-min-reconnect",
            "10",
            "--boltodds-max-backoff",
            "600",
            "--oddsapi-pause-polls",
            "3",
            "--therundown-delta-limit",
            "5000",
        ),
        environ=env,
        cwd=str(tmp_path),
    )
    assert flags.boltodds_games == [GAME]  # the flag beats the environment
    assert flags.therundown_ws_auth == "header"  # ... and the file
    assert (flags.boltodds_min_reconnect, flags.boltodds_max_backoff) == (10.0, 600.0)
    assert (flags.oddsapi_pause_polls, flags.therundown_delta_limit) == (3, 5000)


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (
            ("--therundown-ws-auth", "cookie"),
            {},
            "--therundown-ws-auth must be one of header, query, got 'cookie'",
        ),
        (
            (),
            {"ODDSWIRE_THERUNDOWN_WS_AUTH": "Query"},
            "environment variable ODDSWIRE_THERUNDOWN_WS_AUTH must be one of header, query",
        ),
        (
            ("--therundown-quota-pause", "-5"),
            {},
            "--therundown-quota-pause must be a positive number, got '-5'",
        ),
        (("--therundown-request-timeout", "0"), {}, "must be a positive number, got '0'"),
        (("--therundown-warm-up-timeout", "nan"), {}, "must be a positive number"),
        (("--therundown-refresh-interval", "2"), {}, "--therundown-refresh-interval must be >= 10"),
        (("--therundown-heartbeat-timeout", "10"), {}, "must be >= 20, got '10'"),
        (("--therundown-stream-failures", "0"), {}, "--therundown-stream-failures must be >= 1"),
        (("--therundown-stream-failures", "1.5"), {}, "must be a whole number, got '1.5'"),
        (("--therundown-max-backoff", "0.5"), {}, "--therundown-max-backoff must be >= 1"),
        (("--therundown-delta-limit", "6000"), {}, "must be between 1 and 5000, got '6000'"),
        (("--boltodds-min-reconnect", "-1"), {}, "--boltodds-min-reconnect must be a positive"),
        (("--boltodds-settle-quiet", "soon"), {}, "must be a number, got 'soon'"),
        (("--boltodds-idle-timeout", "15"), {}, "--boltodds-idle-timeout must be >= 30"),
        (
            ("--boltodds-min-reconnect", "30", "--boltodds-max-backoff", "10"),
            {},
            "boltodds_max_backoff (10) must be >= boltodds_min_reconnect (30)",
        ),
        (
            ("--boltodds-settle-max", "0.5"),
            {},
            "boltodds_settle_max (0.5) must be >= boltodds_settle_quiet (1)",
        ),
        (("--oddsapi-pause-polls", "0"), {}, "--oddsapi-pause-polls must be >= 1, got '0'"),
        (("--oddsapi-auth-retry", "-60"), {}, "--oddsapi-auth-retry must be a positive number"),
        (("--oddsapi-max-retry-after", "0"), {}, "--oddsapi-max-retry-after must be a positive"),
        (
            (),
            {"ODDSWIRE_ODDSAPI_WARM_UP_TIMEOUT": "-1"},
            "ODDSWIRE_ODDSAPI_WARM_UP_TIMEOUT must be a positive number",
        ),
    ],
)
def test_bad_timings_are_refused(
    tmp_path: Path, argv: tuple[str, ...], env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(parse(*argv), environ=env, cwd=str(tmp_path))


def test_bad_values_in_the_file_name_the_key_and_file(tmp_path: Path) -> None:
    config = tmp_path / "oddswire.toml"
    config.write_text('boltodds-games = ["  "]\n')
    with pytest.raises(ConfigError, match=r"boltodds-games in .*oddswire\.toml must list game"):
        load_settings(parse(), environ={}, cwd=str(tmp_path))
    config.write_text("boltodds_settle_max = -3\n")
    with pytest.raises(ConfigError, match=r"boltodds_settle_max in .* must be a positive number"):
        load_settings(parse(), environ={}, cwd=str(tmp_path))
    config.write_text('therundown_ws_auth = "bearer"\n')
    with pytest.raises(ConfigError, match="must be one of header, query, got 'bearer'"):
        load_settings(parse(), environ={}, cwd=str(tmp_path))
