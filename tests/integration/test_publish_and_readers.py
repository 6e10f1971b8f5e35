"""Publishing replaces the warehouse whole: readers are never blocked and never see a half-built file."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.warehouse.publish import publish
from tests.gold import ROOT
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


def _contract_not_null_columns() -> set[tuple[str, str]]:
    """(model, column) of every mart column whose YAML declares a not_null constraint."""
    declared = set()
    for path in (ROOT / "dbt_project" / "models" / "marts").glob("*.yml"):
        for model in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]:
            for column in model.get("columns", []):
                if any(c.get("type") == "not_null" for c in column.get("constraints", [])):
                    declared.add((model["name"], column["name"]))
    return declared


def test_mart_not_null_contracts_are_enforced_by_duckdb_in_the_build(sample_run: PipelineRun) -> None:
    """The marts' not-null keys are table constraints (no separate dbt test): a NULL cannot be written."""
    declared = _contract_not_null_columns()
    assert ("dim_report", "parse_message") in declared and len(declared) >= 40
    with duckdb.connect(str(sample_run.work_dir / "build.duckdb")) as conn:
        enforced = set(
            conn.execute(
                "select table_name, column_name from duckdb_columns() where schema_name = 'marts' and not is_nullable"
            ).fetchall()
        )
        assert enforced == declared
        conn.execute("begin transaction")
        with pytest.raises(duckdb.ConstraintException, match="NOT NULL"):
            conn.execute(
                "update marts.fct_outcomes set outcome_group = null where report_id in "
                "(select report_id from marts.fct_outcomes limit 1)"
            )
        conn.execute("rollback")
