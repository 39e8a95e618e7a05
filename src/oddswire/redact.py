"""Keys never reach the logs: a filter that masks ``key=`` in logged URLs and paths.

Used by the server (uvicorn's access and error logs) and by the SDK (httpx logs every
request's URL, which carries the key when a client authenticates by query string).
"""

from __future__ import annotations

import logging
import re

_KEY = re.compile(r"([?&](?:key|api_?key)=)[^&\s\"']*", re.IGNORECASE)


def redact(text: str) -> str:
    """``/x?key=abc&y=1`` -> ``/x?key=***&y=1`` (also ``apiKey=``, The Odds API's)."""
    return _KEY.sub(r"\1***", text)


def _redacted(value: object) -> object:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    text = str(value)  # an httpx.URL or a websockets URI, say
    return redact(text) if "key=" in text.lower() else value


class RedactKeys(logging.Filter):
    """Masks API keys in a record's message and arguments (uvicorn's access log passes
    the request path as an argument, httpx the request's URL object)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(a) for a in record.args)
        return True


_FILTER = RedactKeys()


def install(names: tuple[str, ...] = ("uvicorn.access", "uvicorn.error", "oddswire")) -> None:
    """Add the filter to these loggers (once each)."""
    for name in names:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def install_on_handlers(logger: logging.Logger | None = None) -> None:
    """Add the filter to every handler of ``logger`` (default: the root logger).

    A logger's own filters see only records made on that logger, not its children's
    (``websockets.client``, say); a handler's filters see everything it writes."""
    for handler in (logger or logging.getLogger()).handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
