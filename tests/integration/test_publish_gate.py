"""What blocks a publish and what only warns.

A data condition in some reports or inputs (a region the reference lacks, a reviewer's line outside the list)
is a WARN that lists the rows and reports, and the build is published. A broken model of ours (a key that is
not unique) blocks: see test_faults.test_failing_dbt_test_fails_the_run_naming_it_and_keeps_the_previous_warehouse.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import polars as pl

from tests.gold import RAW_DIR
from tests.integration.conftest import run_refresh

GOOD = ["seeds/001_168270b2927a7f2f.txt", "seeds/003_a53f3851dc57af3f.txt", "real/015_pingtan_zone_2021.txt"]


def _raw(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in GOOD:
        (folder / Path(name).name).write_bytes((RAW_DIR / name).read_bytes())
    return folder


def _warnings(result: dg.ExecuteInProcessResult) -> dict[str, dg.AssetCheckEvaluation]:
    return {
        f"{e.asset_key.to_user_string()}:{e.check_name}": e
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity == dg.AssetCheckSeverity.WARN
    }


def test_a_region_the_reference_lacks_warns_with_the_reports_and_the_build_is_published(tmp_path: Path) -> None:
    raw = _raw(tmp_path / "raw")
    warehouse, work = tmp_path / "out" / "ogi.duckdb", tmp_path / "work"
    first = run_refresh(raw, warehouse, work)
    assert first.success
    assert not [w for w in _warnings(first) if "region_in_reference" in w]
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        report_id, region_code = conn.execute(
            "select report_id, region_code from marts.fct_applications where region_code is not null limit 1"
        ).fetchone()
        published_reports = conn.execute("select count(*) from marts.dim_report").fetchone()[0]
    with duckdb.connect(str(work / "build.duckdb")) as conn:  # the shipped reference without that division
        conn.execute("delete from raw.region_reference where region_code = ?", [region_code])
    before = warehouse.stat().st_mtime_ns
    second = run_refresh(raw, warehouse, work)
    assert second.success, [e.message for e in second.all_events if e.is_failure]
    assert warehouse.stat().st_mtime_ns != before, "the build was not published"
    warned = _warnings(second)
    facts = next(e for key, e in warned.items() if key.startswith("marts/fct_applications:region_in_reference"))
    assert report_id in facts.metadata["failing_reports"].value
    assert region_code in facts.metadata["failing_rows"].value
    agencies = next(e for key, e in warned.items() if key.startswith("marts/dim_agency:region_in_reference"))
    assert region_code in agencies.metadata["failing_rows"].value
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("select count(*) from marts.dim_report").fetchone()[0] == published_reports
        assert conn.execute("select count(*) from marts.fct_applications where report_id = ?", [report_id]).fetchone()[
            0
        ]


def test_a_bad_line_in_the_review_file_warns_and_only_valid_verdicts_count(tmp_path: Path, monkeypatch) -> None:
    raw = _raw(tmp_path / "raw")
    warehouse, work = tmp_path / "out" / "ogi.duckdb", tmp_path / "work"
    assert run_refresh(raw, warehouse, work).success
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        sha, check_code, scope = conn.execute(
            "select r.content_sha256, c.check_code, c.scope from quality.identity_checks c "
            "join marts.dim_report r using (report_id) order by all limit 1"
        ).fetchone()
    reviews = tmp_path / "review_verdicts.csv"
    pl.DataFrame(
        [
            (sha, check_code, scope, "dismiss", "typo in the verdict", "a", "2026-01-02"),
            (sha, check_code, scope, "confirmed", "checked against the PDF", "b", "2026-01-03"),
        ],
        schema=["content_sha256", "check_code", "scope", "verdict", "note", "reviewer", "reviewed_on"],
        orient="row",
    ).write_csv(reviews)
    monkeypatch.setenv("OGI_REVIEW_FILE", str(reviews))
    result = run_refresh(raw, warehouse, work)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    warned = _warnings(result)
    listed = [e for key, e in warned.items() if "review_verdicts" in key]
    assert any("dismiss" in e.metadata["failing_rows"].value for e in listed), list(warned)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        verdicts = conn.execute(
            "select c.review_verdict from quality.identity_checks c join marts.dim_report r using (report_id) "
            "where r.content_sha256 = ? and c.check_code = ? and c.scope = ?",
            [sha, check_code, scope],
        ).fetchall()
    assert verdicts and {v for (v,) in verdicts} == {"confirmed"}
