"""Source settings: which feeds run, their keys, URLs and budgets, replays."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from oddswire.config import ConfigError, add_serve_arguments, load_settings


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    return parser.parse_args(list(argv))


def test_the_simulator_is_the_default_source(tmp_path: Path) -> None:
    settings = load_settings(parse(), environ={}, cwd=str(tmp_path))
    assert settings.sources is None and settings.source_names == ["simulator"]


def test_sources_repeat_and_keys_come_from_the_environment(tmp_path: Path) -> None:
    env = {"ODDSWIRE_THERUNDOWN_KEY": "tr-secret-key", "ODDSWIRE_BOLTODDS_KEY": "bo-secret"}
    settings = load_settings(
        parse(
            "--source",
            "therundown",
            "--source",
            "boltodds",
            "--therundown-url",
            "http://127.0.0.1:9",
        ),
        environ=env,
        cwd=str(tmp_path),
    )
    assert settings.source_names == ["therundown", "boltodds"]
    assert settings.therundown_key == "tr-secret-key"
    assert settings.therundown_url == "http://127.0.0.1:9"
    from_env = load_settings(
        parse(), environ={**env, "ODDSWIRE_SOURCES": "boltodds,simulator"}, cwd=str(tmp_path)
    )
    assert from_env.source_names == ["boltodds", "simulator"]


def test_budgets_lists_and_file_keys(tmp_path: Path) -> None:
    config = tmp_path / "oddswire.toml"
    config.write_text(
        'sources = ["oddsapi"]\noddsapi-key = "oa-key-123"\noddsapi-per-hour = 120\n'
        'oddsapi-regions = ["us", "uk"]\ntherundown-sports = [4, 6]\n'
    )
    settings = load_settings(parse(), environ={}, cwd=str(tmp_path))
    assert settings.oddsapi_per_hour == 120 and settings.oddsapi_regions == ["us", "uk"]
    assert settings.therundown_sports == [4, 6]
    env = load_settings(parse(), environ={"ODDSWIRE_THERUNDOWN_PER_HOUR": "500"}, cwd=str(tmp_path))
    assert env.therundown_per_hour == 500


@pytest.mark.parametrize(
    ("argv", "env", "message"),
    [
        (
            ("--source", "therundown"),
            {},
            "source therundown needs an API key: set ODDSWIRE_THERUNDOWN_KEY",
        ),
        (("--source", "bogus"), {}, "--source must name each source at most once"),
        (("--source", "simulator", "--source", "simulator"), {}, "at most once"),
        (("--therundown-url", "ftp://x"), {}, "--therundown-url must be an http(s)://"),
        (("--therundown-mode", "psychic"), {}, "must be one of auto, stream, poll"),
        (("--oddsapi-per-hour", "0"), {}, "must be a positive whole number"),
        (("--replay", "/nonexistent/rec.jsonl.gz"), {}, "--replay: no recording at"),
        ((), {"ODDSWIRE_SOURCES": ""}, "no source"),
    ],
)
def test_bad_source_settings_are_refused(
    tmp_path: Path, argv: tuple[str, ...], env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(parse(*argv), environ=env, cwd=str(tmp_path))


def test_replaying_alone_runs_no_simulator(tmp_path: Path) -> None:
    recording = tmp_path / "r.jsonl.gz"
    recording.write_bytes(b"")
    settings = load_settings(parse("--replay", str(recording)), environ={}, cwd=str(tmp_path))
    assert settings.source_names == [] and settings.replay == [str(recording)]
