"""Seed 000 (TheRundown's Python guide), read from the repository's verbatim copy."""

from __future__ import annotations

import re
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "seeds" / "000_a316473ebdaf4e9c.txt"


def snippets() -> dict[str, str]:
    """Each section's Python code block, by section title."""
    text = SEED.read_text()
    out: dict[str, str] = {}
    for section in re.split(r"\n## ", text)[1:]:
        title, _, body = section.partition("\n")
        code = re.search(r"```python[^\n]*\n(.*?)```", body, re.S)
        if code:
            out[title.strip()] = code.group(1)
    return out
