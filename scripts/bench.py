"""Benchmark the pipeline end to end on a synthetic corpus: per stage wall time, reports/s, peak RSS.

Stages run the same code the Dagster assets call (landing, parsing, dbt build, GX checks, publish), in one
process so that each is timed on its own; Python and Dagster start-up are measured separately. Also: a lower
bound on the same files (read + decode + one regex pass over all digits), an incremental refresh adding
100 reports, and the parser's accuracy against the generator's expected values.

    .venv/bin/python scripts/bench.py 1000

``OGI_BENCH_CORPUS`` names a corpus of exactly N reports written earlier by ``make corpus`` to reuse (linked,
not copied); otherwise the corpus is generated into the temporary folder (generation is not a timed stage).
``OGI_BENCH_KEEP`` names a folder where the built N-report state (build database, warehouse, raw folder as
hard links) is copied before the 100 reports are added, to study the incremental refresh again and again.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from orchestration.parsing.decode import decode_report_bytes  # noqa: E402
from orchestration.settings import (  # noqa: E402
    APPEND_ROW_GROUP_SIZE,
    DBT_PROJECT_DIR,
    EXPECTATIONS_DIR,
    REFERENCE_DIR,
    connect_build,
    duckdb_config,
)
from orchestration.synthetic.corpus import generate  # noqa: E402
from orchestration.warehouse.identity_suites import (  # noqa: E402
    CANONICAL_SQL,
    COUNTS_SQL,
    IDENTITY_RESIDUAL_SQL,
    SuiteRunner,
    validate_domain_rules,
    validate_identities,
    validate_soft_checks,
)
from orchestration.warehouse.landing import land  # noqa: E402
from orchestration.warehouse.parsed_store import parse_pending, parse_row_group_size  # noqa: E402
from orchestration.warehouse.publish import publish  # noqa: E402
from orchestration.warehouse.rebuild_scope import finish_build, plan_build  # noqa: E402
from orchestration.warehouse.reference import load_region_reference  # noqa: E402
from orchestration.warehouse.reviews import load_review_verdicts  # noqa: E402

DIGITS = re.compile(r"\d+")


def _rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _timed(name: str, rows: list[dict], reports: int, fn) -> object:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    rows.append(
        {
            "stage": name,
            "seconds": round(seconds, 2),
            "reports_per_s": round(reports / seconds, 1),
            "peak_rss_mb": round(_rss_mb(), 0),
        }
    )
    return result


def _read_once(raw: Path) -> int:
    """Read every file once, untimed, and return the bytes read.

    The lower bound and landing then both read from the page cache: whether the files were just written or
    read by an earlier run no longer moves them (the bound was 16-30 s at 100,000 reports between runs).
    """
    size = 0
    for path in raw.rglob("*"):
        if path.is_file():
            size += len(path.read_bytes())
    return size


def _lower_bound(raw: Path) -> tuple[float, int]:
    start = time.perf_counter()
    numbers = 0
    for path in raw.rglob("*"):
        if path.is_file() and path.suffix in (".txt", ".html"):
            text = decode_report_bytes(path.read_bytes(), path.suffix).text or ""
            numbers += len(DIGITS.findall(text))
    return time.perf_counter() - start, numbers


def _refresh(raw: Path, build: Path, warehouse: Path, rows: list[dict], reports: int) -> None:
    # the connections the landing and parsing assets open (row group sizes: settings.connect_build)
    def landing() -> None:
        with connect_build(build, row_group_size=APPEND_ROW_GROUP_SIZE) as conn:
            land(conn, raw)
            load_region_reference(conn, REFERENCE_DIR / "regions.csv.gz")
            load_review_verdicts(conn, EXPECTATIONS_DIR / "review_verdicts.csv")

    def parsing() -> None:
        with connect_build(build) as conn:
            row_group_size = parse_row_group_size(conn)
        with connect_build(build, row_group_size=row_group_size) as conn:
            parse_pending(conn)

    _timed("landing", rows, reports, landing)
    _timed("parsing", rows, reports, parsing)
    env = {**os.environ, "OGI_BUILD_DB": str(build), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    dbt = Path(sys.executable).with_name("dbt")

    def dbt_build() -> None:
        # what the ogi_dbt_models asset does: plan (incremental or full), build, empty the ledger
        with duckdb.connect(str(build), config=duckdb_config()) as conn:
            plan = plan_build(conn)
        subprocess.run(
            [str(dbt), *plan.dbt_args, "--profiles-dir", ".", "--quiet"], cwd=DBT_PROJECT_DIR, env=env, check=True
        )
        with duckdb.connect(str(build), config=duckdb_config()) as conn:
            finish_build(conn, plan)

    _timed("dbt", rows, reports, dbt_build)

    def checks() -> None:
        # what the gx_identity_suites asset check does: residual tables, one suite per identity, domain rules
        with duckdb.connect(str(build), read_only=True, config=duckdb_config()) as conn:
            frame = conn.execute(IDENTITY_RESIDUAL_SQL).pl()
            counts = conn.execute(COUNTS_SQL).pl()
            canonical = conn.execute(CANONICAL_SQL).pl()
        runner = SuiteRunner(EXPECTATIONS_DIR)
        validate_identities(frame, runner)
        validate_soft_checks(frame, runner)
        validate_domain_rules(counts, canonical, runner)

    _timed("checks", rows, reports, checks)
    _timed("publish", rows, reports, lambda: publish(build, warehouse, {"bench": "1"}))


def _accuracy(build: Path, raw: Path, chunk: int = 1000) -> dict[str, float]:
    """Compare parsed table 三/四 cells with the generator's expected values, ``chunk`` reports at a time.

    Both sides are streamed (expected.jsonl line by line, the cells of one chunk of files per query), so the
    comparison's memory does not grow with the corpus.
    """
    right = wrong = missing = invented = 0
    prose_right = prose_total = 0
    with (
        (raw / "expected.jsonl").open(encoding="utf-8") as handle,
        duckdb.connect(str(build), read_only=True, config=duckdb_config()) as conn,
    ):
        while True:
            items = [json.loads(line) for _, line in zip(range(chunk), handle, strict=False)]
            if not items:
                break
            cells = conn.execute(
                "select l.source_path, c.table_code, c.row_code, c.column_code, c.value "
                "from parsed.table_cells c join raw.landed_files l using (report_id) "
                "where c.table_code in ('table3', 'table4') and l.source_path in (select unnest(?))",
                [[item["file"] for item in items]],
            ).fetchall()
            got = {(r[0], r[1], r[2], r[3]): r[4] for r in cells}
            stated: dict[tuple[str, str], set] = {}
            for path, field, value in conn.execute(
                "select l.source_path, f.field, f.value from parsed.prose_figures f "
                "join raw.landed_files l using (report_id) where l.source_path in (select unnest(?))",
                [[item["file"] for item in items if item.get("prose")]],
            ).fetchall():
                stated.setdefault((path, field), set()).add(value)
            for item in items:
                for field, value in (item.get("prose") or {}).items():
                    prose_total += 1
                    prose_right += stated.get((item["file"], field)) == {float(value)}
                truth = {("table3", *k.split("|")): v for k, v in item["table3"].items()}
                truth |= {("table4", "reviews_and_litigation", k): v for k, v in item["table4"].items()}
                for (table, row, column), value in truth.items():
                    parsed = got.get((item["file"], table, row, column), "missing")
                    if parsed == "missing":
                        missing += 1
                    elif parsed == (None if value is None else float(value)):
                        right += 1
                    elif parsed is not None and value is not None:
                        invented += 1
                    else:
                        wrong += 1
    total = right + wrong + missing + invented
    return {
        "cells": total,
        "exact": round(100 * right / total, 3),
        "null_or_missing": wrong + missing,
        "wrong_number": invented,
        "prose_figures": prose_total,
        "prose_exact": round(100 * prose_right / prose_total, 3) if prose_total else None,
    }


def _corpus_size(corpus: Path) -> int:
    expected = corpus / "expected.jsonl"
    if not expected.is_file():
        return -1
    with expected.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle)


def main() -> None:
    """Generate N reports, build them, add 100, and print the numbers."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory(prefix="ogi-bench-") as tmp:
        root = Path(tmp)
        raw, build, warehouse = root / "raw", root / "work" / "build.duckdb", root / "out" / "ogi.duckdb"
        build.parent.mkdir(parents=True)
        start = time.perf_counter()
        reused = os.environ.get("OGI_BENCH_CORPUS")
        if reused and _corpus_size(Path(reused)) == count:
            # a corpus written by `make corpus N=...` earlier: hard links, so the files are the same bytes
            subprocess.run(["cp", "-al", reused, str(raw)], check=True)
        else:
            for _ in generate(raw, count):
                pass
        generated = time.perf_counter() - start
        size = _read_once(raw)
        lower, numbers = _lower_bound(raw)
        rows: list[dict] = []
        _refresh(raw, build, warehouse, rows, count)
        accuracy = _accuracy(build, raw)
        sizes = {
            "build_db_mb": round(build.stat().st_size / 1e6),
            "warehouse_mb": round(warehouse.stat().st_size / 1e6),
        }
        keep = os.environ.get("OGI_BENCH_KEEP")
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            subprocess.run(["cp", "-al", str(raw), str(Path(keep) / "raw")], check=True)
            subprocess.run(["cp", str(build), str(warehouse), keep], check=True)
        extra = root / "raw" / "added"
        for _ in generate(extra, 100, seed=7):
            pass
        (extra / "expected.jsonl").unlink()
        incremental: list[dict] = []
        _refresh(raw, build, warehouse, incremental, 100)
        startup_start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import orchestration.definitions"], cwd=ROOT, check=True)
        startup = time.perf_counter() - startup_start
    parse = next(r for r in rows if r["stage"] == "parsing")
    print(
        f"machine: {os.cpu_count()} cores; corpus: {count} reports, {size / 1e6:.1f} MB, generated in {generated:.1f} s"
    )
    print(pl.DataFrame(rows))
    print(f"end to end: {sum(r['seconds'] for r in rows):.1f} s for {count} reports")
    print(
        f"lower bound (read + decode + digit regex): {lower:.2f} s, {count / lower:.0f} reports/s "
        f"({numbers} numbers); parse / lower bound = {parse['seconds'] / lower:.1f}x"
    )
    print(f"incremental refresh adding 100 reports: {sum(r['seconds'] for r in incremental):.1f} s")
    print(pl.DataFrame(incremental))
    print(f"python + dagster definitions start-up (separate): {startup:.1f} s")
    print(f"accuracy on generated table cells and prose figures: {accuracy}")
    print(f"file sizes after the first build: {sizes}")


if __name__ == "__main__":
    main()
