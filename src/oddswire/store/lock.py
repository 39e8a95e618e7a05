"""An exclusive, advisory lock file so two hubs never write one store.

The kernel drops a ``flock`` when every descriptor of the locked file is closed, even
on SIGKILL, so a crashed hub never leaves a stale lock. The store's writer process
shares the hub's descriptor, so after a crash the lock is held until that writer has
committed what it received and exited; a new hub waits for that instead of failing.
"""

from __future__ import annotations

import fcntl
import os
import time

from oddswire.store.base import StoreLockedError

#: How long a new hub waits for the writer of a dead hub to finish.
ORPHAN_WAIT_SECONDS = 30.0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class StoreLock:
    def __init__(self, path: str, orphan_wait: float = ORPHAN_WAIT_SECONDS) -> None:
        self.path = path
        self.orphan_wait = orphan_wait
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.orphan_wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = self._holder(fd)
                if holder is None or _alive(holder) or time.monotonic() > deadline:
                    os.close(fd)
                    who = f"pid {holder}" if holder is not None else "another process"
                    raise StoreLockedError(
                        f"the store is in use by {who} (lock file {self.path}); "
                        "stop that hub first, or give this one another --db"
                    ) from None
                time.sleep(0.05)  # the hub that held it is dead: its writer is finishing
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        self._fd = fd

    @staticmethod
    def _holder(fd: int) -> int | None:
        text = os.pread(fd, 64, 0).decode(errors="replace").strip()
        try:
            return int(text.removeprefix("pid "))
        except ValueError:
            return None

    @property
    def fd(self) -> int:
        if self._fd is None:
            raise RuntimeError("the store lock is not held")
        return self._fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
