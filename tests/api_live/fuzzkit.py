"""Running schemathesis against a live hub (shared by the fuzz tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def schemathesis(
    url: str, key: str, report_dir: Path, *options: str
) -> subprocess.CompletedProcess[str]:
    """``schemathesis run`` over ``url``'s OpenAPI document with ``key``: two workers,
    no shrinking, 10 s per request, ASCII strings, reports in ``report_dir``."""
    return subprocess.run(
        [
            sys.executable, "-m", "schemathesis.cli", "run", f"{url}/openapi.json",
            "--header", f"X-TheRundown-Key: {key}",
            *options,
            "--no-shrink", "--workers", "2", "--request-timeout", "10",
            "--generation-codec", "ascii", "--report-dir", str(report_dir),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=report_dir.parent,
    )  # fmt: skip
