"""The one Dagster resource of the project: where things are, resolved when a run starts."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import dagster as dg
import duckdb

from orchestration.settings import Settings, load_settings


class WarehousePaths(dg.ConfigurableResource):
    """Resolves ``OGI_RAW_DIR``, ``OGI_WAREHOUSE`` and ``OGI_WORK_DIR`` at run time and opens the build DB."""

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
