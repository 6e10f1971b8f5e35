"""The ledger decides what an incremental dbt build and publish rebuild; a changed dbt project forces a full one."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.settings import DBT_PROJECT_DIR
from orchestration.warehouse.rebuild_scope import (
    dbt_project_digest,
    finish_build,
    mark_published,
    plan_build,
    record_changed,
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    copy = tmp_path / "dbt_project"
    for part in ("models", "macros", "seeds"):
        shutil.copytree(DBT_PROJECT_DIR / part, copy / part)
    shutil.copyfile(DBT_PROJECT_DIR / "dbt_project.yml", copy / "dbt_project.yml")
    return copy


@pytest.fixture
def conn() -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect()
    conn.execute("create schema parsed")
    conn.execute("create table parsed.reports as select * from (values ('r1'), ('r2'), ('r3')) t(report_id)")
    return conn


def _ledger(conn: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    return [r for (r,) in conn.execute(f"select report_id from pipeline.{name} order by 1").fetchall()]


def test_first_build_is_full_with_every_report_in_the_ledger(conn: duckdb.DuckDBPyConnection, project: Path) -> None:
    plan = plan_build(conn, project)
    assert plan.full_refresh and plan.dbt_args() == ["build", "--full-refresh"]
    assert plan.changed_reports == 3 and _ledger(conn, "changed_reports") == ["r1", "r2", "r3"]
    assert conn.execute("select value from pipeline.build_state where key = 'publish_full_needed'").fetchone()


def test_after_a_successful_build_only_recorded_reports_are_rebuilt(
    conn: duckdb.DuckDBPyConnection, project: Path
) -> None:
    finish_build(conn, plan_build(conn, project))
    assert _ledger(conn, "changed_reports") == []
    again = plan_build(conn, project)
    assert not again.full_refresh
    assert again.dbt_args() == [
        "build",
        "--exclude",
        "path:seeds config.materialized:view",
        "--indirect-selection",
        "empty",
    ]
    assert again.dbt_args(whole_project=False) == ["build"]
    assert again.changed_reports == 0
    record_changed(conn, ["r2", "gone"])
    record_changed(conn, ["r2"])  # idempotent
    assert plan_build(conn, project).changed_reports == 2
    assert _ledger(conn, "changed_reports") == ["gone", "r2"]
    assert _ledger(conn, "unpublished_reports") == ["gone", "r2"]


def test_a_changed_model_forces_a_full_refresh(conn: duckdb.DuckDBPyConnection, project: Path) -> None:
    finish_build(conn, plan_build(conn, project))
    before = dbt_project_digest(project)
    model = next((project / "models" / "marts").glob("*.sql"))
    model.write_text(model.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    assert dbt_project_digest(project) != before
    plan = plan_build(conn, project)
    assert plan.full_refresh and plan.reason == "the dbt project changed since the last build"


def test_a_failed_build_keeps_the_ledger(conn: duckdb.DuckDBPyConnection, project: Path) -> None:
    finish_build(conn, plan_build(conn, project))
    record_changed(conn, ["r1"])
    plan_build(conn, project)  # dbt would run here and fail: finish_build is not called
    assert plan_build(conn, project).changed_reports == 1


def test_publishing_empties_the_publish_ledger_and_remembers_the_file(
    conn: duckdb.DuckDBPyConnection, project: Path
) -> None:
    plan_build(conn, project)
    record_changed(conn, ["r1"])
    mark_published(conn, "abc")
    assert _ledger(conn, "unpublished_reports") == []
    state = dict(conn.execute("select key, value from pipeline.build_state").fetchall())
    assert state == {"published_id": "abc"}
