"""Keys never reach the logs: a filter that masks ``key=`` in logged request paths."""

from __future__ import annotations

import logging
import re

_KEY = re.compile(r"([?&]key=)[^&\s\"]*", re.IGNORECASE)


def redact(text: str) -> str:
    """``/x?key=abc&y=1`` -> ``/x?key=***&y=1``."""
    return _KEY.sub(r"\1***", text)


class RedactKeys(logging.Filter):
    """Masks API keys in a record's message and arguments (uvicorn's access log passes
    the request path as an argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def install() -> None:
    for name in ("uvicorn.access", "uvicorn.error", "oddswire"):
        logging.getLogger(name).addFilter(RedactKeys())
