"""Rows behind a dbt test that warned: what a warning shows so that a reader can find the reports.

Tests of data conditions (a region the reference lacks, a reviewer's line outside the list) have severity
``warn`` and ``store_failures``: dbt keeps their failing rows in schema ``dbt_test__audit`` of the build
database. The dbt asset reads them after the build, when dbt no longer holds the file's lock.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

MAX_LISTED_ROWS = 50


@dataclass(frozen=True)
class StoredFailures:
    """The failing rows of one test as stored by dbt (at most ``MAX_LISTED_ROWS``) and how many there are."""

    relation: str
    rows: pl.DataFrame
    total: int

    @property
    def report_ids(self) -> list[str]:
        """The distinct reports named in the listed rows (tests on per-report tables list ``report_id``)."""
        if "report_id" not in self.rows.columns:
            return []
        return sorted({value for value in self.rows["report_id"].to_list() if value is not None})


def stored_failure_relations(manifest_path: Path) -> dict[str, str]:
    """``unique_id`` → ``schema.alias`` of the tests whose failures dbt stores."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return {
        unique_id: f'"{node["schema"]}"."{node["alias"]}"'
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "test" and node["config"].get("store_failures")
    }


def read_stored_failures(conn: duckdb.DuckDBPyConnection, relation: str) -> StoredFailures | None:
    """The stored failing rows of one test, or None when dbt stored none (the table does not exist)."""
    try:
        (total,) = conn.execute(f"select count(*) from {relation}").fetchone()
        rows = conn.execute(f"select * from {relation} order by all limit {MAX_LISTED_ROWS}").pl()
    except duckdb.CatalogException:
        return None
    return StoredFailures(relation=relation, rows=rows, total=total)
