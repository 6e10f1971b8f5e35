"""The one Dagster resource of the project: where things are, resolved when a run starts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb
from pydantic import PrivateAttr

from orchestration.settings import Settings, load_settings
from orchestration.warehouse.run_lock import RefreshLock, lock_timeout_seconds


class WarehousePaths(dg.ConfigurableResource):
    """Resolves ``OGI_RAW_DIR``, ``OGI_WAREHOUSE`` and ``OGI_WORK_DIR`` at run time and opens the build DB.

    For the length of a run it holds the work folder's refresh lock, so two refreshes never build or publish
    at once (the second waits, then is refused with a message naming the first).
    """

    _lock: RefreshLock | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        lock = RefreshLock(self.settings().work_dir)
        lock.acquire(lock_timeout_seconds())
        self._lock = lock

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def settings(self) -> Settings:
        """The paths as the environment gives them now."""
        return load_settings()

    @contextmanager
    def build_connection(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the build database (never the published warehouse)."""
        settings = self.settings()
        settings.work_dir.mkdir(parents=True, exist_ok=True)
        conn = duckdb.connect(str(settings.build_db), read_only=read_only)
        try:
            yield conn
        finally:
            conn.close()
