"""Settings: defaults < config file < environment < flags, with clear errors."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from oddswire.config import OPTIONS, ConfigError, Settings, add_serve_arguments, load_settings


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    return parser.parse_args(list(argv))


def test_defaults(tmp_path: Path) -> None:
    s = load_settings(parse(), environ={}, cwd=str(tmp_path))
    assert s.port == 8080
    assert s.host == "127.0.0.1"
    assert s.rate == 250.0
    assert s.db.endswith("oddswire/oddswire.db")
    assert s.demo_key is True


def test_every_setting_has_a_flag_env_var_and_file_key() -> None:
    fields = set(Settings.__struct_fields__)
    assert {o.name for o in OPTIONS} == fields
    assert {o.env for o in OPTIONS} >= {"ODDSWIRE_PORT", "ODDSWIRE_DB", "ODDSWIRE_API_KEYS"}


def test_precedence_file_then_env_then_flags(tmp_path: Path) -> None:
    config = tmp_path / "oddswire.toml"
    config.write_text('port = 9001\nrate = 10\nseed = 3\nsports = [4, 2]\nlog-level = "debug"\n')
    env = {"ODDSWIRE_RATE": "20", "ODDSWIRE_SEED": "4"}
    s = load_settings(parse("--seed", "5"), environ=env, cwd=str(tmp_path))
    assert s.port == 9001  # file
    assert s.rate == 20.0  # env beats file
    assert s.seed == 5  # flag beats env
    assert s.sports == [4, 2]
    assert s.log_level == "debug"


def test_explicit_config_file_and_section(tmp_path: Path) -> None:
    config = tmp_path / "custom.toml"
    config.write_text("[oddswire]\nclock_speed = 60.0\nall_sports = true\n")
    s = load_settings(parse("--config", str(config)), environ={}, cwd="/")
    assert s.clock_speed == 60.0
    assert s.all_sports is True
    env_config = load_settings(parse(), environ={"ODDSWIRE_CONFIG": str(config)}, cwd="/")
    assert env_config.clock_speed == 60.0


def test_flags_of_every_kind(tmp_path: Path) -> None:
    s = load_settings(
        parse(
            "--host",
            "0.0.0.0",
            "--port",
            "0",
            "--db",
            str(tmp_path / "x.db"),
            "--rate",
            "1e4",
            "--api-key",
            "abcdefgh1",
            "--api-key",
            "abcdefgh2",
            "--no-demo-key",
            "--sports",
            "4,2",
            "--all-sports",
            "--no-quick-check",
        ),
        environ={"ODDSWIRE_API_KEYS": "zzzzzzzz9"},
        cwd=str(tmp_path),
    )
    assert s.port == 0
    assert s.rate == 10_000
    assert s.api_keys == ["abcdefgh1", "abcdefgh2"]
    assert s.demo_key is False
    assert s.sports == [4, 2]
    assert s.quick_check is False
    env_keys = load_settings(parse(), environ={"ODDSWIRE_API_KEYS": "k1k1k1k1, k2k2k2k2"}, cwd="/")
    assert env_keys.api_keys == ["k1k1k1k1", "k2k2k2k2"]


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (["--port", "70000"], {}, "--port must be a TCP port"),
        (["--port", "http"], {}, "--port must be a whole number"),
        (["--rate", "-5"], {}, "--rate must be between"),
        (["--rate", "fast"], {}, "--rate must be a number"),
        (["--rate", "nan"], {}, "--rate must be between"),
        (["--clock-speed", "0"], {}, "--clock-speed must be between"),
        (["--api-key", "short"], {}, "--api-key each API key must be at least 8"),
        (["--api-key", "has space in it"], {}, "no spaces"),
        (["--sports", "4,99"], {}, "--sports must be a non-empty list"),
        (["--log-level", "loud"], {}, "--log-level must be one of"),
        (["--host", " "], {}, "--host must not be empty"),
        ([], {"ODDSWIRE_PORT": "-1"}, "environment variable ODDSWIRE_PORT must be a TCP port"),
        ([], {"ODDSWIRE_ALL_SPORTS": "maybe"}, "ODDSWIRE_ALL_SPORTS must be true or false"),
        (["--days-back", "14", "--days-ahead", "14"], {}, "must not exceed 21 days"),
        (["--ev-method", "vibes"], {}, "--ev-method must be one of multiplicative"),
        (["--settle-seconds", "-1"], {}, "--settle-seconds must be between"),
        ([], {"ODDSWIRE_MAX_LEG_AGE": "0"}, "ODDSWIRE_MAX_LEG_AGE must be a positive number"),
    ],
)
def test_bad_values_are_rejected_naming_where(
    argv: list[str], env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        load_settings(parse(*argv), environ=env, cwd="/")


def test_bad_config_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("port = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(parse("--config", str(bad)), environ={}, cwd="/")
    typo = tmp_path / "typo.toml"
    typo.write_text("prot = 9000\n")
    with pytest.raises(ConfigError, match="unknown setting 'prot'"):
        load_settings(parse("--config", str(typo)), environ={}, cwd="/")
    wrong_type = tmp_path / "type.toml"
    wrong_type.write_text('port = "eighty"\n')
    with pytest.raises(ConfigError, match=r"port in .*type.toml must be a whole number"):
        load_settings(parse("--config", str(wrong_type)), environ={}, cwd="/")
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(parse("--config", str(tmp_path / "missing.toml")), environ={}, cwd="/")


def test_analytics_settings_reach_the_detectors() -> None:
    from oddswire.cli.serve import detector_settings

    settings = load_settings(
        parse("--ev-method", "shin", "--settle-seconds", "0.5", "--min-ev-pct", "3"),
        environ={"ODDSWIRE_LIVE_MAX_LEG_AGE": "20"},
        cwd="/",
    )
    detectors = detector_settings(settings)
    assert detectors is not None
    assert (detectors.ev_method, detectors.settle_seconds) == ("shin", 0.5)
    assert (detectors.min_ev_pct, detectors.live_max_leg_age) == (3.0, 20.0)
    off = load_settings(parse("--no-analytics"), environ={}, cwd="/")
    assert detector_settings(off) is None
