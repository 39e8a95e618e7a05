"""Name normalisation for matching: case, accents, punctuation and common spellings."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_REPLACEMENTS = (
    ("&", " and "),
    ("saint ", "st "),
    ("st. ", "st "),
    ("mount ", "mt "),
    ("fort ", "ft "),
    ("la ", "los angeles "),
    ("l. a. ", "los angeles "),
    ("ny ", "new york "),
)


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """``"St. Louis Blues"`` -> ``"st louis blues"``; ``"Atlético"`` -> ``"atletico"``.

    Lower case, accents stripped, ``&`` as ``and``, ``Saint``/``St.`` as ``st``,
    ``LA``/``NY`` spelled out, and every run of other punctuation or space as one space.
    Feeds repeat the same few thousand names, so results are cached.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = " " + folded.replace(".", ". ") + " "
    for old, new in _REPLACEMENTS:
        folded = folded.replace(" " + old, " " + new)
    return _NOT_WORD.sub(" ", folded).strip()
