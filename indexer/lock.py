"""One writer at a time: an exclusive lock file in the index directory.

`flock` locks vanish with the process that held them, so a writer killed with SIGKILL
never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from morgue.errors import IndexLocked

LOCK_NAME = "morgue-write.lock"


class WriteLock:
    """Context manager holding the index's write lock; waits up to `timeout` seconds."""

    def __init__(self, index_dir: str | Path, timeout: float = 10.0) -> None:
        self.path = Path(index_dir) / LOCK_NAME
        self.timeout = timeout
        self._fd: int | None = None

    def __enter__(self) -> "WriteLock":
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
                    os.close(fd)
                    raise IndexLocked(
                        f"{self.path.parent}: another process (pid {holder}) is writing to this "
                        f"index; waited {self.timeout:g}s (raise --lock-timeout to wait longer)"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
