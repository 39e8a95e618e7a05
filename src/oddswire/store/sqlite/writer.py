"""The hub-side end of the writer process: queue, sender thread, receiver thread.

:meth:`WriterClient.submit` never blocks the event loop: it appends to a queue. The
sender thread turns applied batches into rows, merges whatever is queued into as few
frames as possible and writes them to the writer process; the receiver thread reads
commit acknowledgements and hands them to callbacks. See ``writer_process.py`` for why
the writer is a process.
"""

from __future__ import annotations

import itertools
import logging
import os
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

import msgspec

from oddswire.board import AppliedBatch
from oddswire.store.base import StoreError
from oddswire.store.sqlite import protocol
from oddswire.store.sqlite.protocol import Committed, Failed, Reply, Request, frame
from oddswire.store.sqlite.rows import BatchRows

log = logging.getLogger("oddswire.store")

#: Rows per Ticks frame: big enough to amortise, small enough to stream.
FRAME_ROWS = 50_000


@dataclass(slots=True)
class OnCommitted:
    """Call ``callback`` (on the receiver thread) once everything before it is durable."""

    callback: Callable[[], None]


Item = AppliedBatch | Request | OnCommitted


class WriterClient:
    """Starts the writer process and talks to it; see the module docstring."""

    def __init__(
        self,
        db: str,
        lock_fd: int,
        on_commit: Callable[[int, int], None],
        on_error: Callable[[BaseException | None], None],
    ) -> None:
        self._db = db
        self._lock_fd = lock_fd
        self._on_commit = on_commit
        self._on_error = on_error
        self._items: deque[Item] = deque()
        self._cond = threading.Condition()
        self._barriers: dict[int, Callable[[], None]] = {}
        self._ids = itertools.count(1)
        self._proc: subprocess.Popen[bytes] | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = False
        self.failed: BaseException | None = None
        self.dead = False
        self.commits = 0

    # ------------------------------------------------------------- lifecycle

    def start(self) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "oddswire.store.sqlite.writer_process", self._db],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            pass_fds=(self._lock_fd,),  # shares the store lock: held until the writer exits
            bufsize=0,
        )
        for target, name in ((self._send_loop, "sender"), (self._receive_loop, "receiver")):
            thread = threading.Thread(target=target, name=f"oddswire-store-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    @property
    def started(self) -> bool:
        return self._proc is not None

    def is_alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None and not self.dead

    def join(self, timeout: float | None = None) -> None:
        for thread in self._threads:
            thread.join(timeout)
        if self._proc is not None:
            self._proc.wait(timeout)

    def kill(self) -> None:
        """Kill the writer process at once (what a crash of the hub looks like to it)."""
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()

    # ----------------------------------------------------------------- queue

    def submit(self, item: Item) -> None:
        if self.dead:
            raise StoreError(f"the store writer has stopped: {self.failed}")
        with self._cond:
            self._items.append(item)
            if len(self._items) == 1:
                self._cond.notify()

    def _take(self) -> list[Item]:
        with self._cond:
            while not self._items:
                self._cond.wait()
            items = list(self._items)
            self._items.clear()
            return items

    # --------------------------------------------------------------- sending

    def _send_loop(self) -> None:
        assert self._proc is not None
        assert self._proc.stdin is not None
        out = self._proc.stdin.fileno()
        encode = msgspec.msgpack.Encoder().encode
        try:
            while True:
                items = self._take()
                for request in self._requests(items):
                    data = frame(encode(request))
                    while data:
                        data = data[os.write(out, data) :]
                    if isinstance(request, protocol.Stop):
                        os.close(out)
                        return
        except OSError as exc:  # the process died; the receiver reports it
            log.debug("writer pipe closed: %s", exc)

    def _requests(self, items: list[Item]) -> list[Request]:
        requests: list[Request] = []
        rows: BatchRows | None = None
        for item in items:
            if isinstance(item, AppliedBatch):
                rows = rows or BatchRows()
                rows.add(item)
                if len(rows) >= FRAME_ROWS:
                    requests.append(rows.message())
                    rows = None
                continue
            if rows is not None:
                requests.append(rows.message())
                rows = None
            if isinstance(item, OnCommitted):
                barrier_id = next(self._ids)
                self._barriers[barrier_id] = item.callback
                requests.append(protocol.Barrier(barrier_id))
            else:
                if isinstance(item, protocol.Stop):
                    self._stopping = True
                requests.append(item)
        if rows is not None:
            requests.append(rows.message())
        return requests

    # ------------------------------------------------------------- receiving

    def _receive_loop(self) -> None:
        assert self._proc is not None
        assert self._proc.stdout is not None
        reader = protocol.FrameReader(self._proc.stdout.fileno())
        decode = msgspec.msgpack.Decoder(Reply).decode
        while True:
            body = reader.read(block=True)
            if body is None:
                break
            reply = decode(body)
            if isinstance(reply, Failed):
                self.failed = None if reply.error is None else StoreError(reply.error)
                if reply.error is not None:
                    log.error("store write failed, retrying: %s", reply.error)
                self._on_error(self.failed)
                continue
            self._committed(reply)
        code = self._proc.wait()
        if not self._stopping or code != 0:
            self.dead = True
            self.failed = StoreError(f"the store writer process exited (code {code})")
            log.critical("%s", self.failed)
            self._on_error(self.failed)
            self._release_waiters()

    def _release_waiters(self) -> None:
        """Wake everyone waiting for a commit that will not come (they check ``dead``)."""
        with self._cond:
            waiting = [i.callback for i in self._items if isinstance(i, OnCommitted)]
            self._items.clear()
        waiting.extend(self._barriers.values())
        self._barriers.clear()
        for callback in waiting:
            callback()

    def _committed(self, reply: Committed) -> None:
        self.commits += 1
        self._on_commit(reply.committed, reply.reserved)
        for barrier_id in reply.barriers:
            callback = self._barriers.pop(barrier_id, None)
            if callback is not None:
                callback()
