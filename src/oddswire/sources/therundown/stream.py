"""Opening TheRundown's ``/api/v2/ws/markets`` stream (reference §4.1, §4.2, seed 004).

- The URL is the REST base with ``http`` -> ``ws`` (``https`` -> ``wss``), filtered by
  ``sport_ids``, ``market_ids`` and ``affiliate_ids`` (comma-separated, as TheRundown and
  this hub read them), so the server's per-client queue is not flooded (§4.7).
- Auth: the key in the ``X-TheRundown-Key`` header of the upgrade, as TheRundown's
  official MCP sends it and as this hub accepts it; the documented ``?key=`` form is
  available (``auth="query"``) for servers that read only that.
- websockets logs the upgrade's headers (and its URL) at DEBUG: the connection gets its
  own logger whose filter masks the key, so not even a debug log holds it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from websockets.asyncio.client import connect

from oddswire import __version__
from oddswire.client.core import KEY_HEADER
from oddswire.redact import redact

PATH = "/api/v2/ws/markets"
LOGGER_NAME = "oddswire.sources.therundown.ws"
#: A frame larger than this closes the connection (a market_price message is ~400 bytes).
MAX_FRAME = 4 * 1024 * 1024


def ws_base(base_url: str) -> str:
    """``https://therundown.io`` -> ``wss://therundown.io`` (a ws(s) base is kept)."""
    base = base_url.rstrip("/")
    if base.startswith("https://"):
        return "wss://" + base[len("https://") :]
    if base.startswith("http://"):
        return "ws://" + base[len("http://") :]
    return base


def http_base(base_url: str) -> str:
    """The REST base of a configured URL (``wss://x`` -> ``https://x``)."""
    base = base_url.rstrip("/")
    if base.startswith("wss://"):
        return "https://" + base[len("wss://") :]
    if base.startswith("ws://"):
        return "http://" + base[len("ws://") :]
    return base


def stream_url(base_url: str, filters: Mapping[str, Iterable[int]]) -> str:
    query = {name: ",".join(str(v) for v in values) for name, values in filters.items() if values}
    return ws_base(base_url) + PATH + ("?" + urlencode(query, safe=",") if query else "")


class MaskKey(logging.Filter):
    """Replaces the key (and any ``key=`` query value) in a record's message and
    arguments."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def clean(self, value: object) -> object:
        if isinstance(value, (int, float, bool)) or value is None:
            return value
        text = str(value)
        cleaned = redact(text)
        if self.key and self.key in cleaned:
            cleaned = cleaned.replace(self.key, "***")
        return value if cleaned == text else cleaned

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.clean(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(self.clean(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: self.clean(v) for k, v in record.args.items()}
        return True


def masked_logger(key: str) -> logging.Logger:
    """The stream connection's logger, with the key masked (one filter per key)."""
    logger = logging.getLogger(LOGGER_NAME)
    if not any(isinstance(f, MaskKey) and f.key == key for f in logger.filters):
        logger.addFilter(MaskKey(key))
    return logger


def open_stream(
    url: str,
    key: str,
    *,
    auth: str = "header",
    open_timeout: float = 10.0,
    ping_interval: float | None = 20.0,
) -> Any:
    """A websockets ``connect`` (use with ``async with``) for the markets stream."""
    headers: dict[str, str] = {}
    if auth == "query":
        url += ("&" if "?" in url else "?") + urlencode({"key": key})
    else:
        headers[KEY_HEADER] = key
    return connect(
        url,
        additional_headers=headers,
        user_agent_header=f"oddswire/{__version__}",
        logger=masked_logger(key),
        open_timeout=open_timeout,
        ping_interval=ping_interval,
        ping_timeout=ping_interval,
        close_timeout=2.0,
        max_size=MAX_FRAME,
    )


__all__ = ["PATH", "MaskKey", "http_base", "open_stream", "stream_url", "ws_base"]
