"""Recordings: a source's raw messages in a compressed JSON-lines file, and back.

A recording is gzip-compressed JSON lines. Its first line is a header
(``{"oddswire_recording": 1, "source": ..., "vendor": ..., "started_at": ...}``); each
other line is one :class:`~oddswire.sources.upstream.model.Record` exactly as the
source received it. The writer flushes a sync point at least every second, so a crash
loses at most the last second and the file stays readable up to there. Appending to an
existing file adds a gzip member that starts with its own header.
"""

from __future__ import annotations

import gzip
import os
import time
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime

import msgspec

from oddswire.sources.upstream.model import Record

FORMAT_VERSION = 1
FLUSH_SECONDS = 1.0


class RecordingHeader(msgspec.Struct, kw_only=True):
    oddswire_recording: int
    source: str
    vendor: str
    started_at: float


class RecordingError(ValueError):
    """The file is not an oddswire recording, or is from an unknown version."""


_encode = msgspec.json.Encoder().encode
_decode_header = msgspec.json.Decoder(RecordingHeader).decode
_decode_record = msgspec.json.Decoder(Record).decode


def recording_path(directory: str, source: str, when: float | None = None) -> str:
    """``DIR/<source>-20261122T101500Z.jsonl.gz``."""
    stamp = datetime.fromtimestamp(when or time.time(), UTC).strftime("%Y%m%dT%H%M%SZ")
    return os.path.join(directory, f"{source}-{stamp}.jsonl.gz")


class Recorder:
    """Appends one source's raw records to a recording."""

    def __init__(self, path: str, source: str, vendor: str) -> None:
        self.path = path
        self.records = 0
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self._file = gzip.open(path, "ab", compresslevel=6)  # noqa: SIM115 - held open
        header = RecordingHeader(
            oddswire_recording=FORMAT_VERSION, source=source, vendor=vendor, started_at=time.time()
        )
        self._file.write(_encode(header) + b"\n")
        self._flush()

    def write(self, record: Record) -> None:
        self._file.write(_encode(record) + b"\n")
        self.records += 1
        if time.monotonic() - self._flushed >= FLUSH_SECONDS:
            self._flush()

    def _flush(self) -> None:
        self._file.flush(zlib.Z_SYNC_FLUSH)
        self._flushed = time.monotonic()

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()


def read_header(path: str) -> RecordingHeader:
    """The first header of a recording (which vendor's decoder replays it)."""
    try:
        with gzip.open(path, "rb") as f:
            first = f.readline()
    except (OSError, EOFError) as exc:
        raise RecordingError(f"{path}: not a gzip recording ({exc})") from None
    try:
        header = _decode_header(first)
    except msgspec.DecodeError:
        raise RecordingError(f"{path}: no oddswire recording header") from None
    if header.oddswire_recording != FORMAT_VERSION:
        raise RecordingError(f"{path}: recording format {header.oddswire_recording} unknown")
    return header


def read_records(path: str) -> Iterator[Record]:
    """Every record, in order; stops quietly where a crash cut the file short."""
    with gzip.open(path, "rb") as f:
        while True:
            try:
                line = f.readline()
            except (EOFError, zlib.error, gzip.BadGzipFile):
                return  # the writer died after its last sync point
            if not line:
                return
            if not line.endswith(b"\n"):
                return  # a torn last line
            if line.startswith(b'{"oddswire_recording"'):
                continue
            try:
                yield _decode_record(line)
            except msgspec.DecodeError:
                continue
