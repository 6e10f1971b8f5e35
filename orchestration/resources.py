"""The Dagster resources of the project: where things are (resolved when a run starts), and dbt."""

from __future__ import annotations

import importlib.metadata
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource
from packaging import version
from pydantic import PrivateAttr

from orchestration.settings import Settings, connect_build, load_settings
from orchestration.warehouse.run_lock import RefreshLock, lock_timeout_seconds


def connect_build_db(
    path: Path, read_only: bool, timeout_seconds: float, row_group_size: int | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the build database, waiting while another process (an orphaned dbt of a killed run) holds it."""
    deadline = time.monotonic() + timeout_seconds
    while True:
        try:
            return connect_build(path, read_only=read_only, row_group_size=row_group_size)
        except duckdb.IOException as error:
            if "lock" not in str(error).lower() or time.monotonic() >= deadline:
                raise dg.Failure(f"cannot open the build database {path}: {error}") from error
            time.sleep(1)


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
    def build_connection(
        self, read_only: bool = False, row_group_size: int | None = None
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to the build database (never the published warehouse); see ``connect_build``."""
        settings = self.settings()
        settings.work_dir.mkdir(parents=True, exist_ok=True)
        conn = connect_build_db(settings.build_db, read_only, lock_timeout_seconds(), row_group_size)
        try:
            yield conn
        finally:
            conn.close()


class DbtCli(DbtCliResource):
    """dagster-dbt's dbt resource without the two start-up costs this project does not use (~4 s a run).

    Before every invocation ``DbtCliResource`` runs ``dbt --version`` in a subprocess (dbt's own start-up,
    ~2.5 s) and builds a dbt adapter in this process (~1.5 s of imports and project loading). The version is
    that of the installed dbt-core (the lock pins it); the adapter only serves ``fetch_column_metadata`` and
    ``fetch_row_counts``, which the assets do not call: column descriptions come from the manifest. Tested by
    ``test_definitions`` (the version and the adapter) and by every run of the job.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None
