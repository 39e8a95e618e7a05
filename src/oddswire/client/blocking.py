"""Streams for code that is not async: an async iterator run on its own thread and
event loop, its items handed over through a bounded queue (a slow reader slows the
stream down; nothing is dropped)."""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")


class _End:
    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class BlockingStream(Generic[T]):
    """Iterate it like a list; ``close()`` (or ``with``) stops the thread."""

    def __init__(self, start: Callable[[], AsyncIterator[T]], maxsize: int = 10_000) -> None:
        self._start = start
        self._items: queue.Queue[T | _End] = queue.Queue(maxsize)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def __iter__(self) -> Iterator[T]:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="oddswire-stream", daemon=True)
            self._thread.start()
        while True:
            item = self._items.get()
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield item

    def _run(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        try:
            self._task = loop.create_task(self._pump())
            loop.run_until_complete(self._task)
        except asyncio.CancelledError:
            pass
        finally:
            loop.close()

    async def _pump(self) -> None:
        error: BaseException | None = None
        try:
            async for item in self._start():
                while not self._stopping.is_set():
                    try:
                        self._items.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        await asyncio.sleep(0)  # the reader is slow: wait for it
                if self._stopping.is_set():
                    return
        except asyncio.CancelledError:
            return
        except Exception as exc:
            error = exc
        self._put_end(_End(error))

    def _put_end(self, end: _End) -> None:
        while not self._stopping.is_set():
            try:
                self._items.put(end, timeout=0.1)
                return
            except queue.Full:
                continue

    def close(self) -> None:
        self._stopping.set()
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not loop.is_closed():
            loop.call_soon_threadsafe(task.cancel)
        if self._thread is not None:
            self._thread.join(timeout=10)

    def __enter__(self) -> BlockingStream[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


__all__ = ["BlockingStream"]
