"""Publishing replaces the warehouse whole: readers are never blocked and never see a half-built file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from orchestration.warehouse.publish import publish
from tests.integration.conftest import PipelineRun, run_refresh

FACT_TABLES = (
    "dim_report",
    "fct_applications",
    "fct_outcomes",
    "fct_reviews",
    "fct_litigation",
    "fct_proactive_disclosure",
)


def _snapshot(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    out = {}
    for table in FACT_TABLES:
        columns = [
            c
            for (c,) in conn.execute(
                "select column_name from information_schema.columns where table_schema = 'marts' and table_name = ? "
                "and column_name not in ('ingested_at')",
                [table],
            ).fetchall()
        ]
        out[table] = conn.execute(f"select {', '.join(columns)} from marts.{table} order by all").fetchall()
    return out


def test_reader_holding_the_file_keeps_its_build_while_a_refresh_publishes(sample_run: PipelineRun) -> None:
    reader = duckdb.connect(str(sample_run.warehouse), read_only=True)
    try:
        before = _snapshot(reader)
        (old_run,) = reader.execute("select value from meta.build_info where key = 'dagster_run_id'").fetchone()
        result = run_refresh(sample_run.raw_dir, sample_run.warehouse, sample_run.work_dir)
        assert result.success
        (still,) = reader.execute("select value from meta.build_info where key = 'dagster_run_id'").fetchone()
        assert still == old_run
    finally:
        reader.close()
    with duckdb.connect(str(sample_run.warehouse), read_only=True) as fresh:
        (new_run,) = fresh.execute("select value from meta.build_info where key = 'dagster_run_id'").fetchone()
        assert new_run == result.run_id != old_run
        assert _snapshot(fresh) == before, "a re-run with no change must publish identical rows"


def test_failed_publish_leaves_the_previous_warehouse_and_no_temporary_file(tmp_path: Path) -> None:
    warehouse = tmp_path / "ogi.duckdb"
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("create schema marts; create table marts.marker as select 42 as answer")
    before = warehouse.read_bytes()
    with pytest.raises(duckdb.Error):
        publish(tmp_path / "missing_build.duckdb", warehouse, {})
    assert warehouse.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ogi.duckdb"]
