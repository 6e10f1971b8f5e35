"""How the incremental models select the ledger's reports: literals in list_contains(), or a subquery.

DuckDB pushes list_contains() over literals into the table scan and reads the other columns of matching rows
only (an IN list or a subquery becomes a join that reads every row); above
``changed_reports_literal_limit`` ledger entries the subquery is used instead. Both forms are compiled here
against a copy of a real build database with two reports in the ledger.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.warehouse.rebuild_scope import record_changed
from tests.integration.conftest import PipelineRun, run_dbt


def _compiled(build_db: Path, target: Path, model: str, *extra: str) -> str:
    done = run_dbt(build_db, target, "compile", "--select", model, *extra)
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


def _dbt(build_db: Path, target: Path, *args: str) -> None:
    done = run_dbt(build_db, target, *args)
    assert done.returncode == 0, done.stdout[-3000:]


def _give_verdict(conn: duckdb.DuckDBPyConnection, content_sha256: str, verdict: str) -> None:
    conn.execute(
        "insert into raw.review_verdicts (content_sha256, check_code, scope, verdict, note, reviewer, reviewed_on)"
        " values (?, 'balance', 'total', ?, 'test', 'test', '2026-11-22')",
        [content_sha256, verdict],
    )


@pytest.mark.parametrize("form", ["literals", "subquery"])
def test_identity_checks_follow_a_changed_review_file_in_either_form(
    sample_run: PipelineRun, tmp_path: Path, form: str
) -> None:
    """A verdict withdrawn from one unchanged report and given to another, built incrementally, equals a
    full build; with the literal list and with the subquery form (which runs after the pre-hook's delete)."""
    build = tmp_path / "build.duckdb"
    shutil.copyfile(sample_run.work_dir / "build.duckdb", build)
    limit = ["--vars", "{changed_reports_literal_limit: 0}"] if form == "subquery" else []
    with duckdb.connect(str(build)) as conn:
        (first, second), shas = _two_checked_reports(conn)
        conn.execute("delete from raw.review_verdicts")
        _give_verdict(conn, shas[first], "confirmed")
        record_changed(conn, [first])  # a ledger that is not empty, as after a parse
    _dbt(build, tmp_path / "t1", "build", "--select", "identity_checks", *limit)
    with duckdb.connect(str(build)) as conn:
        conn.execute("delete from raw.review_verdicts")
        _give_verdict(conn, shas[second], "dismissed")
        conn.execute("delete from pipeline.changed_reports")
        record_changed(conn, [second])  # the report losing its verdict is in neither ledger
    _dbt(build, tmp_path / "t2", "build", "--select", "identity_checks", *limit)
    full = tmp_path / "full" / "build.duckdb"  # the file's name is the catalog dbt's SQL names
    full.parent.mkdir()
    shutil.copyfile(build, full)
    _dbt(full, tmp_path / "t3", "build", "--select", "identity_checks", "--full-refresh")

    def verdicts(path: Path) -> dict[str, str | None]:
        with duckdb.connect(str(path), read_only=True) as conn:
            rows = conn.execute(
                "select report_id, review_verdict from quality.identity_checks"
                " where check_code = 'balance' and scope = 'total' and report_id in (?, ?)",
                [first, second],
            ).fetchall()
        return dict(rows)

    assert verdicts(build) == {first: None, second: "dismissed"}
    with duckdb.connect(str(build), read_only=True) as conn:
        conn.execute(f"attach '{full}' as full_build (read_only)")
        differing = conn.execute(
            "select count(*) from ((select * from quality.identity_checks except all"
            " select * from full_build.quality.identity_checks) union all"
            " (select * from full_build.quality.identity_checks except all select * from quality.identity_checks))"
        ).fetchone()[0]
    assert differing == 0


def _two_checked_reports(conn: duckdb.DuckDBPyConnection) -> tuple[tuple[str, str], dict[str, str]]:
    """Two reports with a balance/total check, and the content hash of each."""
    rows = conn.execute(
        "select c.report_id, r.content_sha256 from quality.identity_checks c"
        " join intermediate.int_reports_deduplicated r using (report_id)"
        " where c.check_code = 'balance' and c.scope = 'total' order by 1 limit 2"
    ).fetchall()
    assert len(rows) == 2
    return (rows[0][0], rows[1][0]), dict(rows)
