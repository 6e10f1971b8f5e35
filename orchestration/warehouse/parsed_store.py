"""Parse landed reports that are new or were parsed by an older parser, and store the frames.

Tables in schema ``parsed`` (reports, sections, table_cells, prose_figures, parse_issues) mirror
``raw.landed_files``: a report whose file vanished is deleted from every one of them; a report is parsed again
only when its parser version (code version + digest of the map files) differs from the current one.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

import duckdb
import polars as pl

from orchestration.parsing import schemas
from orchestration.parsing.report import parse_reports, parse_rows, parser_version, rows_to_frames

TABLES: dict[str, dict[str, pl.DataType]] = {
    "reports": schemas.REPORTS,
    "sections": schemas.SECTIONS,
    "table_cells": schemas.TABLE_CELLS,
    "prose_figures": schemas.PROSE_FIGURES,
    "parse_issues": schemas.PARSE_ISSUES,
}
BATCH_SIZE = 1000
CHUNK_SIZE = 100
PARALLEL_MIN_REPORTS = 400


@dataclass(frozen=True)
class ParseSummary:
    """What one parsing pass did, with the status counts of all parsed reports."""

    parsed_now: int
    removed: int
    status_counts: dict[str, int]
    cells: int
    prose_figures: int
    issues: int


def ensure_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the ``parsed`` tables from the declared polars schemas; rebuild them when a schema changed.

    A build database written by an older release may hold ``parsed`` tables with other columns. Their rows
    cannot be trusted or inserted into, so every ``parsed`` table is dropped together (the reports table
    decides what is re-parsed, so the others must never outlive it) and the next pass parses everything.
    """
    conn.execute("create schema if not exists parsed")
    declared = {}
    for name, schema in TABLES.items():
        conn.register(f"empty_{name}", pl.DataFrame(schema=schema).to_arrow())
        declared[name] = conn.execute(
            f"select column_name, column_type from (describe select * from empty_{name})"
        ).fetchall()
    stored = {
        name: conn.execute(
            "select column_name, data_type from duckdb_columns()"
            " where schema_name = 'parsed' and table_name = ? order by column_index",
            [name],
        ).fetchall()
        for name in TABLES
    }
    stale = any(stored[name] and stored[name] != declared[name] for name in TABLES)
    for name in TABLES:
        if stale:
            conn.execute(f"drop table if exists parsed.{name}")
        conn.execute(f"create table if not exists parsed.{name} as select * from empty_{name} where false")
        conn.unregister(f"empty_{name}")


def parse_workers() -> int:
    """``OGI_PARSE_WORKERS`` (default: the machine's cores), read at run time."""
    value = os.environ.get("OGI_PARSE_WORKERS")
    return max(1, int(value)) if value else max(1, os.cpu_count() or 1)


def parse_pending(conn: duckdb.DuckDBPyConnection, workers: int | None = None) -> ParseSummary:
    """Parse every landed report not yet parsed by this parser version; drop reports no longer landed.

    Batches of at least ``PARALLEL_MIN_REPORTS`` are parsed by a pool of ``workers`` processes (spawned, not
    forked: the parent holds DuckDB and polars threads); smaller ones in this process, where start-up would
    cost more than it saves.
    """
    workers = parse_workers() if workers is None else workers
    ensure_tables(conn)
    version = parser_version()
    removed = conn.execute(
        "select count(*) from parsed.reports where report_id not in (select report_id from raw.landed_files)"
    ).fetchone()[0]
    conn.execute("begin transaction")
    for name in TABLES:
        conn.execute(f"delete from parsed.{name} where report_id not in (select report_id from raw.landed_files)")
    conn.execute("commit")
    # ids first, texts one batch at a time: memory holds a batch of reports, never the corpus
    pending = [
        report_id
        for (report_id,) in conn.execute(
            """
            select l.report_id
            from raw.landed_files as l
            left join parsed.reports as p on p.report_id = l.report_id
            where p.report_id is null or p.parser_version <> ?
            order by l.source_path
            """,
            [version],
        ).fetchall()
    ]
    pool = None
    if workers > 1 and len(pending) >= PARALLEL_MIN_REPORTS:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"))
    try:
        for start in range(0, len(pending), BATCH_SIZE):
            batch = conn.execute(
                """
                select report_id, decoded_text, source_path, rejection_reason from raw.landed_files
                where report_id in (select unnest(?)) order by source_path
                """,
                [pending[start : start + BATCH_SIZE]],
            ).fetchall()
            _store_batch(conn, batch, version, pool)
    finally:
        if pool is not None:
            pool.shutdown()
    counts = dict(conn.execute("select parse_status, count(*) from parsed.reports group by 1").fetchall())
    totals = [
        conn.execute(f"select count(*) from parsed.{t}").fetchone()[0]
        for t in ("table_cells", "prose_figures", "parse_issues")
    ]
    return ParseSummary(len(pending), removed, counts, *totals)


def _store_batch(
    conn: duckdb.DuckDBPyConnection, rows: list[tuple], version: str, pool: ProcessPoolExecutor | None
) -> None:
    readable = [(rid, text, path) for rid, text, path, reason in rows if reason is None and text is not None]
    if pool is None:
        frames = parse_reports(readable)
    else:
        chunks = [readable[i : i + CHUNK_SIZE] for i in range(0, len(readable), CHUNK_SIZE)]
        merged: dict[str, list[tuple]] = {name: [] for name in TABLES}
        for part in pool.map(parse_rows, chunks):
            for name, table_rows in part.items():
                merged[name] += table_rows
        frames = rows_to_frames(merged)
    rejected = pl.DataFrame(
        [
            (rid, None, None, None, None, None, None, None, None, None, None, "rejected", reason, version)
            for rid, _text, _path, reason in rows
            if reason is not None
        ],
        schema=schemas.REPORTS,
        orient="row",
    )
    frames["reports"] = pl.concat([frames["reports"], rejected])
    ids = [row[0] for row in rows]
    conn.execute("begin transaction")
    try:
        for name in TABLES:
            conn.execute(f"delete from parsed.{name} where report_id in (select unnest(?))", [ids])
            conn.register("batch_frame", frames[name].to_arrow())
            conn.execute(f"insert into parsed.{name} select * from batch_frame")
            conn.unregister("batch_frame")
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
