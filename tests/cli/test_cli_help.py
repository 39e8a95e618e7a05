"""Every command's ``--help`` prints (argparse formats help strings with %, so a bare
percent sign in an option's help used to crash ``serve --help``)."""

from __future__ import annotations

import pytest
from hubproc import run_cli


@pytest.mark.parametrize("command", ["serve", "keys", "bench"])
def test_help_prints(command: str) -> None:
    done = run_cli(command, "--help")
    assert done.returncode == 0, done.stderr
    assert "usage: oddswire" in done.stdout
