"""One refresh at a time: an exclusive lock on a file in the work folder, held for the whole run.

DuckDB allows one writer per file; two refreshes would also race on publishing. The lock is an OS advisory
lock (``flock``): the kernel drops it when its process dies, so a killed run never leaves a stale lock
behind. A second refresh waits up to ``OGI_LOCK_TIMEOUT`` seconds (default 600), then is refused with a
message that names the holder.
"""

from __future__ import annotations

import fcntl
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

DEFAULT_TIMEOUT_SECONDS = 600.0
POLL_SECONDS = 0.5


class RefreshLockedError(RuntimeError):
    """Another refresh holds the work folder."""


class RefreshLock:
    """An exclusive lock on ``<work_dir>/refresh.lock``; release() or process exit frees it."""

    def __init__(self, work_dir: Path) -> None:
        self.path = work_dir / "refresh.lock"
        self._handle: IO[str] | None = None

    def acquire(self, timeout_seconds: float) -> None:
        """Take the lock, waiting up to ``timeout_seconds``; raise ``RefreshLockedError`` naming the holder."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        deadline = time.monotonic() + timeout_seconds
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown holder"
                    handle.close()
                    raise RefreshLockedError(
                        f"another refresh is running on {self.path.parent} ({holder}); waited {timeout_seconds:g} s. "
                        "Retry when it has finished, or raise OGI_LOCK_TIMEOUT to wait longer."
                    ) from None
                time.sleep(POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC).isoformat(timespec='seconds')}\n")
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        """Give the lock up (also happens when the process ends, however it ends)."""
        if self._handle is not None:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def lock_timeout_seconds() -> float:
    """``OGI_LOCK_TIMEOUT`` from the environment, read at run time."""
    value = os.environ.get("OGI_LOCK_TIMEOUT")
    return float(value) if value else DEFAULT_TIMEOUT_SECONDS
