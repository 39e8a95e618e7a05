"""Recordings: gzip JSON lines with a header, readable after a crash."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from oddswire.sources.upstream.model import Record
from oddswire.sources.upstream.record import (
    Recorder,
    RecordingError,
    read_header,
    read_records,
    recording_path,
)


def test_records_round_trip_with_their_header(tmp_path: Path) -> None:
    path = recording_path(str(tmp_path / "rec"), "boltodds", 1_795_000_000.0)
    assert path.endswith("boltodds-20261118T110640Z.jsonl.gz")
    recorder = Recorder(path, "boltodds", "boltodds")
    written = [
        Record(kind="ws", body='{"action":"ping"}', received_at=1.5),
        Record(kind="http", body="[]", meta={"sport": "basketball_nba"}, received_at=2.5),
    ]
    for record in written:
        recorder.write(record)
    recorder.close()
    header = read_header(path)
    assert (header.source, header.vendor) == ("boltodds", "boltodds")
    assert list(read_records(path)) == written
    # Appending adds a member with its own header; readers see all records in order.
    again = Recorder(path, "boltodds", "boltodds")
    again.write(Record(kind="ws", body="{}", received_at=3.0))
    again.close()
    assert [r.received_at for r in read_records(path)] == [1.5, 2.5, 3.0]


def test_a_recording_cut_short_reads_up_to_the_last_sync_point(tmp_path: Path) -> None:
    path = str(tmp_path / "cut.jsonl.gz")
    recorder = Recorder(path, "oddsapi", "oddsapi")
    for n in range(50):
        recorder.write(Record(kind="http", body=f"[{n}]", received_at=float(n)))
    recorder._flush()
    recorder.write(Record(kind="http", body="[lost]", received_at=99.0))
    data = Path(path).read_bytes()
    Path(path).write_bytes(data)  # what was on disk when the process died
    records = list(read_records(path))
    assert [r.body for r in records] == [f"[{n}]" for n in range(50)]
    recorder.close()


def test_not_a_recording_is_a_clear_error(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("hello")
    with pytest.raises(RecordingError, match="not a gzip recording"):
        read_header(str(plain))
    other = tmp_path / "other.jsonl.gz"
    with gzip.open(other, "wb") as f:
        f.write(b'{"hello": 1}\n')
    with pytest.raises(RecordingError, match="no oddswire recording header"):
        read_header(str(other))
