"""How the incremental models select the ledger's reports: literals in list_contains(), or a subquery.

DuckDB pushes list_contains() over literals into the table scan and reads the other columns of matching rows
only (an IN list or a subquery becomes a join that reads every row); above
``changed_reports_literal_limit`` ledger entries the subquery is used instead. Both forms are compiled here
against a copy of a real build database with two reports in the ledger.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from orchestration.settings import DBT_PROJECT_DIR
from orchestration.warehouse.rebuild_scope import record_changed
from tests.integration.conftest import PipelineRun

DBT = Path(sys.executable).with_name("dbt")


def _compiled(build_db: Path, target: Path, model: str, *extra: str) -> str:
    env = {**os.environ, "OGI_BUILD_DB": str(build_db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    command = [str(DBT), "compile", "--select", model, "--profiles-dir", ".", "--target-path", str(target)]
    command += ["--log-path", str(target / "logs"), *extra]
    done = subprocess.run(command, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:]
    return next(target.rglob(f"compiled/**/{model}.sql")).read_text(encoding="utf-8")


def test_a_small_ledger_is_listed_and_a_big_one_is_a_subquery(sample_run: PipelineRun, tmp_path: Path) -> None:
    build = tmp_path / "build.duckdb"
    shutil.copyfile(sample_run.work_dir / "build.duckdb", build)
    with duckdb.connect(str(build)) as conn:
        ids = [rid for (rid,) in conn.execute("select report_id from parsed.reports order by 1 limit 2").fetchall()]
        record_changed(conn, ids)
    listed = _compiled(build, tmp_path / "listed", "int_report_sizes")
    assert f"list_contains(['{ids[0]}', '{ids[1]}'], report_id)" in listed
    assert "in (select report_id from" not in listed
    queried = _compiled(build, tmp_path / "queried", "int_report_sizes", "--vars", "{changed_reports_literal_limit: 1}")
    assert "list_contains" not in queried
    assert 'report_id in (select report_id from "build"."staging"."stg_pipeline__changed_reports")' in queried
