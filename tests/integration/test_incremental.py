"""Refresh by report (the dbt macro refresh_by_report and the publish of changed rows) is a full build's result.

An incremental refresh yields exactly the warehouse a full build yields.

The change between the two refreshes has every kind an incremental build must handle: new reports, a
removed one, a report edited in place (re-parsed, with fewer cells than before) and a canonical choice that
moves to another report without that report changing (a byte-identical copy whose path sorts first arrives).
The review file changes too: a verdict on an unchanged report is withdrawn and one on another is given, which
changes rows of quality.identity_checks without any report being re-parsed.

How the incremental models select the ledger's reports: literals in list_contains(), or a subquery.

DuckDB pushes list_contains() over literals into the table scan and reads the other columns of matching rows
only (an IN list or a subquery becomes a join that reads every row); above
``changed_reports_literal_limit`` ledger entries the subquery is used instead. Both forms are compiled here
against a copy of a real build database with two reports in the ledger.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from orchestration.warehouse.rebuild_scope import record_changed
from tests.gold import RAW_DIR
from tests.integration.conftest import PipelineRun, run_dbt, run_refresh

ADDED = "real/019_pingtan_zone_2025.txt"
REMOVED = "seeds/004_9c37f1e5967ec932.txt"
EDITED = "real/015_pingtan_zone_2021.txt"
ORIGINAL = "real/017_pingtan_zone_2023.txt"
COPY = "real/zz_copy_of_017_pingtan_zone_2023.txt"
WITHDRAWN_VERDICT = ("real/013_pingtan_zone_2019.txt", "balance", "total", "confirmed")
GIVEN_VERDICT = ("seeds/001_168270b2927a7f2f.txt", "balance", "total", "dismissed")
VOLATILE_COLUMNS = ("ingested_at",)  # when a file was landed: differs between two builds by nature


def _published(path: Path) -> dict[str, list[tuple]]:
    """Every published table (marts, quality, reference) as sorted rows, without landing times."""
    with duckdb.connect(str(path), read_only=True) as conn:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_schema in ('marts', 'quality', 'reference') order by 1, 2"
        ).fetchall()
        out = {}
        for schema, table in tables:
            columns = [
                f'"{c}"'
                for (c,) in conn.execute(
                    "select column_name from information_schema.columns"
                    " where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if c not in VOLATILE_COLUMNS
            ]
            out[f"{schema}.{table}"] = conn.execute(
                f'select {", ".join(columns)} from "{schema}"."{table}" order by all'
            ).fetchall()
    return out


def _differences(left: dict[str, list[tuple]], right: dict[str, list[tuple]]) -> list[str]:
    found = sorted(set(left) ^ set(right))
    for table in sorted(set(left) & set(right)):
        if left[table] != right[table]:
            only_left = len(set(left[table]) - set(right[table]))
            only_right = len(set(right[table]) - set(left[table]))
            found.append(f"{table}: {only_left} rows only incremental, {only_right} only full")
    return found


def _meta(path: Path, key: str) -> str:
    with duckdb.connect(str(path), read_only=True) as conn:
        return conn.execute("select value from meta.build_info where key = ?", [key]).fetchone()[0]


def _first_raw(root: Path) -> Path:
    raw = root / "raw"
    shutil.copytree(RAW_DIR, raw)
    for name in (ADDED, ORIGINAL):
        (raw / name).unlink()
    shutil.copyfile(RAW_DIR / ORIGINAL, raw / COPY)
    return raw


def _change(raw: Path) -> None:
    shutil.copyfile(RAW_DIR / ADDED, raw / ADDED)
    shutil.copyfile(RAW_DIR / ORIGINAL, raw / ORIGINAL)  # same bytes, earlier path: the canonical copy now
    (raw / REMOVED).unlink()
    edited = (raw / EDITED).read_text(encoding="utf-8")
    (raw / EDITED).write_text(edited[: len(edited) * 2 // 3], encoding="utf-8")


def _review_file(path: Path, verdict: tuple[str, str, str, str]) -> Path:
    """A review file with one verdict on a check of the raw sample ``verdict[0]``."""
    source, check_code, scope, decision = verdict
    sha = hashlib.sha256((RAW_DIR / source).read_bytes()).hexdigest()
    header = "content_sha256,check_code,scope,verdict,note,reviewer,reviewed_on"
    path.write_text(f"{header}\n{sha},{check_code},{scope},{decision},test verdict,test,2026-11-22\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    root = tmp_path_factory.mktemp("incremental")
    raw = _first_raw(root)
    first_reviews = _review_file(root / "reviews_first.csv", WITHDRAWN_VERDICT)
    second_reviews = _review_file(root / "reviews_second.csv", GIVEN_VERDICT)
    saved = os.environ.get("OGI_REVIEW_FILE")
    try:
        os.environ["OGI_REVIEW_FILE"] = str(first_reviews)
        incremental = root / "incremental" / "ogi.duckdb"
        first = run_refresh(raw, incremental, root / "incremental_work")
        assert first.success
        shutil.copyfile(incremental, root / "before.duckdb")
        _change(raw)
        os.environ["OGI_REVIEW_FILE"] = str(second_reviews)
        second = run_refresh(raw, incremental, root / "incremental_work")
        assert second.success
        full = root / "full" / "ogi.duckdb"
        assert run_refresh(raw, full, root / "full_work").success
    finally:
        if saved is None:
            os.environ.pop("OGI_REVIEW_FILE", None)
        else:
            os.environ["OGI_REVIEW_FILE"] = saved
    yield {"before": root / "before.duckdb", "incremental": incremental, "full": full}


def test_the_second_refresh_is_incremental_in_dbt_and_in_publish(builds: dict[str, Path]) -> None:
    assert _meta(builds["before"], "publish_mode") == "full"
    assert _meta(builds["incremental"], "publish_mode") == "incremental"
    assert _meta(builds["full"], "publish_mode") == "full"


def test_incremental_refresh_publishes_exactly_what_a_full_build_publishes(builds: dict[str, Path]) -> None:
    incremental, full = _published(builds["incremental"]), _published(builds["full"])
    assert _differences(incremental, full) == []
    assert len(incremental["marts.report_table_cells"]) > 1000


def test_the_change_reached_every_kind_of_row(builds: dict[str, Path]) -> None:
    def report(path: Path, source: str) -> tuple | None:
        with duckdb.connect(str(path), read_only=True) as conn:
            return conn.execute(
                "select r.is_canonical, r.duplicate_of is not null,"
                " (select count(*) from marts.report_table_cells c where c.report_id = r.report_id)"
                " from marts.dim_report r where r.source_path = ?",
                [source],
            ).fetchone()

    before, after = builds["before"], builds["incremental"]
    assert report(before, COPY)[:2] == (True, False)
    assert report(after, COPY)[:2] == (False, True)  # lost the canonical choice without being re-parsed
    assert report(after, ORIGINAL)[0] is True
    assert report(before, ADDED) is None and report(after, ADDED)[0] is True
    assert report(before, REMOVED) is not None and report(after, REMOVED) is None
    assert report(after, EDITED)[2] < report(before, EDITED)[2]

    def facts_of_copy(path: Path) -> int:
        with duckdb.connect(str(path), read_only=True) as conn:
            return conn.execute(
                "select count(*) from marts.fct_applications f join marts.dim_report r using (report_id)"
                " where r.source_path = ?",
                [COPY],
            ).fetchone()[0]

    assert facts_of_copy(before) > 0 and facts_of_copy(after) == 0


def test_a_changed_review_file_reaches_unchanged_reports(builds: dict[str, Path]) -> None:
    def verdict(path: Path, source: str, check_code: str, scope: str) -> str | None:
        with duckdb.connect(str(path), read_only=True) as conn:
            (found,) = conn.execute(
                "select c.review_verdict from quality.identity_checks c join marts.dim_report r using (report_id)"
                " where r.source_path = ? and c.check_code = ? and c.scope = ?",
                [source, check_code, scope],
            ).fetchone()
        return found

    withdrawn, given = WITHDRAWN_VERDICT[:3], GIVEN_VERDICT[:3]
    assert verdict(builds["before"], *withdrawn) == "confirmed"
    assert verdict(builds["before"], *given) is None
    assert verdict(builds["incremental"], *withdrawn) is None
    assert verdict(builds["incremental"], *given) == "dismissed"


def test_the_comparison_sees_one_missing_row(builds: dict[str, Path], tmp_path: Path) -> None:
    broken = tmp_path / "broken.duckdb"
    shutil.copyfile(builds["incremental"], broken)
    with duckdb.connect(str(broken)) as conn:
        conn.execute(
            "delete from marts.report_table_cells where rowid = (select min(rowid) from marts.report_table_cells)"
        )
    assert _differences(_published(broken), _published(builds["full"])) == [
        "marts.report_table_cells: 0 rows only incremental, 1 only full"
    ]


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


def test_every_incremental_model_opts_in_through_the_one_macro() -> None:
    """No model spells out its own incremental config: each one calls refresh_by_report and filters with it."""
    models = sorted((RAW_DIR.parent / "dbt_project" / "models").rglob("*.sql"))
    opted_in = {path.stem for path in models if "{{ refresh_by_report(" in path.read_text(encoding="utf-8")}
    filtering = {
        path.stem
        for path in models
        if any(
            f"{macro}(" in path.read_text(encoding="utf-8")
            for macro in ("changed_or_missing_reports", "rows_of_changed_reports", "rechecked_reports")
        )
    }
    spelled_out = {path.stem for path in models if "materialized='incremental'" in path.read_text(encoding="utf-8")}
    assert spelled_out == set()
    assert opted_in == filtering
    assert {"report_table_cells", "int_table_cells_canonical", "identity_checks"} <= opted_in
