"""What a refresh did, in a few lines for the terminal: read back from the file it published.

Reading the published file (not the run's events) makes the summary say what analysts will see: the files
by parse status, the canonical reports, the checks that fail by code, and the run that built it.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.settings import duckdb_config

STAGES = {
    "landed_report_files": "landing",
    "region_reference": "landing",
    "review_verdicts": "landing",
    "parsed_reports": "parsing",
    "ogi_dbt_models": "dbt",
    "gx_identity_suites": "checks",
    "published_warehouse": "publish",
    "static_report": "static report",
}
"""The stage each step of refresh_warehouse belongs to, as `make run` shows them and `make bench` times them."""


def published_summary(warehouse: Path, run_id: str | None = None) -> list[str]:
    """Lines describing the published warehouse; says so when it was not built by ``run_id``."""
    if not warehouse.is_file():
        return [f"no warehouse at {warehouse}"]
    with duckdb.connect(str(warehouse), read_only=True, config=duckdb_config()) as conn:
        info = dict(conn.execute("select key, value from meta.build_info").fetchall())
        statuses = dict(conn.execute("select parse_status, count(*) from marts.dim_report group by 1").fetchall())
        (canonical,) = conn.execute("select count(*) from marts.dim_report where is_canonical").fetchone()
        failing = conn.execute(
            "select check_code, count(distinct report_id) from quality.identity_checks"
            " where status = 'fail' and counts_against_report group by 1 order by 2 desc, 1"
        ).fetchall()
        (assessed,) = conn.execute(
            "select count(distinct report_id) from quality.identity_checks where status <> 'not_assessable'"
        ).fetchone()
    files = sum(statuses.values())
    by_status = ", ".join(f"{statuses.get(s, 0):,} {s}" for s in ("parsed", "partial", "rejected"))
    lines = []
    if run_id and info.get("dagster_run_id") != run_id:
        lines.append(f"this run did not publish: {warehouse} is still the build of run {info.get('dagster_run_id')}")
    lines += [
        f"files: {files:,} ({by_status}); {canonical:,} canonical reports (one per agency and year)",
        f"checks: {assessed:,} reports assessed; "
        + (
            "failing (reports, warnings listed in quality.identity_checks): "
            + ", ".join(f"{code} {count:,}" for code, count in failing)
            if failing
            else "none failing"
        ),
        f"published: {warehouse} ({warehouse.stat().st_size / 1e6:,.1f} MB, {info.get('publish_mode')} publish, "
        f"{info.get('published_at')})",
    ]
    report = warehouse.with_name(f"{warehouse.stem}.report.html")
    if report.is_file():
        lines.append(f"static report: {report}")
    return lines
