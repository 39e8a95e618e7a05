"""Every example in README.md and docs/ runs, against a real ``oddswire serve``.

A fenced ``python`` or ``sh`` block must be preceded by a marker comment:
``<!-- docs-example: python -->`` / ``sh`` (run here), ``toml-config`` (loaded as a config
file) or ``skip (reason)``. An unmarked block fails the suite, so no example can go untested.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hubproc import KEY, HubProcess  # type: ignore[import-not-found]

from oddswire.config import load_settings

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(
    r"(?:<!--\s*docs-example:\s*(?P<marker>[^>]*?)\s*-->\s*\n)?```(?P<lang>\w*)\n(?P<body>.*?)```",
    re.S,
)
RUNNABLE = {"python", "sh", "bash"}


def blocks() -> Iterator[tuple[str, str, str, str]]:
    for path in DOCS:
        text = path.read_text()
        for m in BLOCK.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            yield (
                f"{path.relative_to(ROOT)}:{line}",
                m.group("lang"),
                (m.group("marker") or ""),
                m.group("body"),
            )


ALL = list(blocks())
RUN = [b for b in ALL if b[2] in ("python", "sh")]
CONFIGS = [b for b in ALL if b[2] == "toml-config"]


def test_every_example_is_marked() -> None:
    unmarked = [where for where, lang, marker, _ in ALL if lang in RUNNABLE and not marker]
    assert not unmarked, f"examples with no docs-example marker: {unmarked}"
    bad = [
        where
        for where, _, marker, _ in ALL
        if marker
        and marker not in ("python", "sh", "toml-config")
        and not marker.startswith("skip (")
    ]
    assert not bad, f"unknown markers (use python, sh, toml-config or skip (reason)): {bad}"
    assert len(RUN) >= 5


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    proc = HubProcess(
        tmp_path_factory.mktemp("docs") / "hub.db",
        "--sports",
        "4,2,6",
        "--rate",
        "500",
        "--days-back",
        "0",
        "--days-ahead",
        "1",
    )
    proc.wait_ready()
    yield proc
    proc.stop()


@pytest.mark.parametrize(("where", "lang", "marker", "body"), RUN, ids=[b[0] for b in RUN])
def test_example_runs(hub: HubProcess, where: str, lang: str, marker: str, body: str) -> None:
    env = {**os.environ, "ODDSWIRE_URL": hub.url or "", "ODDSWIRE_KEY": KEY}
    if marker == "python":
        cmd = [sys.executable, "-c", body]
    else:
        cmd = ["bash", "-euo", "pipefail", "-c", body]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, f"{where} failed:\n{result.stdout}\n{result.stderr}"
    assert result.stdout.strip(), f"{where} printed nothing"
    expected = [line[2:] for line in body.splitlines() if line.startswith("# {")]
    for text in expected:  # a "# {...}" comment shows the JSON the command prints
        assert json.loads(result.stdout.strip().splitlines()[-1]) == json.loads(text), where


@pytest.mark.parametrize(("where", "lang", "marker", "body"), CONFIGS, ids=[b[0] for b in CONFIGS])
def test_config_example_loads(
    tmp_path: Path, where: str, lang: str, marker: str, body: str
) -> None:
    path = tmp_path / "oddswire.toml"
    path.write_text(body)
    settings = load_settings(None, environ={"ODDSWIRE_CONFIG": str(path)}, cwd=str(tmp_path))
    data = tomllib.loads(body)
    section = data.get("oddswire", data)
    assert section
    for key, value in section.items():
        assert getattr(settings, key.replace("-", "_")) == value, f"{where}: {key}"


def test_configuration_doc_lists_every_setting() -> None:
    from oddswire.config import OPTIONS

    text = (ROOT / "docs" / "configuration.md").read_text()
    missing = [o.name for o in OPTIONS if f"`{o.env}`" not in text or f"`{o.name}`" not in text]
    assert not missing, f"docs/configuration.md does not document {missing}"
