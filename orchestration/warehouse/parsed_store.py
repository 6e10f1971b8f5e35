"""Parse landed reports that are new or were parsed by an older parser, and store the frames.

Tables in schema ``parsed`` (reports, sections, table_cells, prose_figures, parse_issues) mirror
``raw.landed_files``: a report whose file vanished is deleted from every one of them; a report is parsed again
only when its parser version (code version + digest of the map files) differs from the current one. Every
report parsed or removed is written to the ledger ``pipeline.changed_reports`` in the same transaction: the
incremental dbt models rebuild exactly those reports (``rebuild_scope``).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

import duckdb
import polars as pl

from orchestration.parsing import schemas
from orchestration.parsing.report import cell_code_domains, parse_reports, parser_version
from orchestration.settings import APPEND_ROW_GROUP_SIZE
from orchestration.warehouse.progress import Progress
from orchestration.warehouse.rebuild_scope import ensure_ledger, record_changed

TABLES = schemas.TABLES
BATCH_SIZE = 1000
CHUNK_SIZE = 100
PARALLEL_MIN_REPORTS = 400
PARSE_CHECKPOINT_THRESHOLD = "8GB"
POOL_PARENT_MEMORY_LIMIT = "256MB"
"""The parent's DuckDB memory while the pool parses, unless ``OGI_DUCKDB_MEMORY_LIMIT`` says otherwise: it reads
each text once, so a bigger buffer only caches texts never read again, and the workers need the memory (at
100,000 reports the parent held 1.18 GB with 512MB here, 0.92 GB with 256MB, at the same parsing speed)."""
SMALL_PARSE_RUN = 10_000
"""Up to this many pending reports, a parse run appends in row groups of ``APPEND_ROW_GROUP_SIZE``."""


@dataclass(frozen=True)
class ParseSummary:
    """What one parsing pass did, with the status counts of all parsed reports."""

    parsed_now: int
    removed: int
    status_counts: dict[str, int]
    cells: int
    prose_figures: int
    issues: int
    workers: int = 1
    """Processes that parsed: 1 in this process, more for the spawned pool."""

    def __str__(self) -> str:
        statuses = ", ".join(f"{count:,} {status}" for status, count in sorted(self.status_counts.items()))
        return (
            f"{self.parsed_now:,} reports parsed now in {self.workers} process{'es' if self.workers > 1 else ''}, "
            f"{self.removed:,} removed; all reports: {statuses or 'none'}; {self.cells:,} table cells, "
            f"{self.prose_figures:,} prose figures, {self.issues:,} parse issues"
        )


def ensure_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the ``parsed`` tables from the declared polars schemas; rebuild them when a schema changed.

    The code columns of ``table_cells`` are DuckDB ENUMs of the maps' codes (``cell_code_domains``): a
    changed map changes their type, and with it the parser version. A build database written by an older
    release may hold ``parsed`` tables with other columns. Their rows cannot be trusted or inserted into, so
    every ``parsed`` table is dropped together (the reports table decides what is re-parsed, so the others
    must never outlive it) and the next pass parses everything.
    """
    conn.execute("create schema if not exists parsed")
    definitions = {name: _column_definitions(conn, name, schema) for name, schema in TABLES.items()}
    declared = {}
    for name, columns in definitions.items():
        conn.execute(f"create or replace temp table declared_{name} ({columns})")
        declared[name] = _columns_of(conn, "temp", "main", f"declared_{name}")
        conn.execute(f"drop table declared_{name}")
    stored = {name: _columns_of(conn, None, "parsed", name) for name in TABLES}
    stale = any(stored[name] and stored[name] != declared[name] for name in TABLES)
    for name, columns in definitions.items():
        if stale:
            conn.execute(f"drop table if exists parsed.{name}")
        conn.execute(f"create table if not exists parsed.{name} ({columns})")


def _column_definitions(conn: duckdb.DuckDBPyConnection, name: str, schema: dict[str, pl.DataType]) -> str:
    """``column type, ...`` for a parsed table: DuckDB's types for the polars schema, ENUMs for cell codes."""
    conn.register("empty_frame", pl.DataFrame(schema=schema).to_arrow())
    described = conn.execute("select column_name, column_type from (describe select * from empty_frame)").fetchall()
    conn.unregister("empty_frame")
    domains = cell_code_domains() if name == "table_cells" else {}
    return ", ".join(
        f"{column} " + (_enum_type(domains[column]) if column in domains else column_type)
        for column, column_type in described
    )


def _enum_type(values: tuple[str, ...]) -> str:
    return "ENUM(" + ", ".join("'" + value.replace("'", "''") + "'" for value in values) + ")"


def _columns_of(
    conn: duckdb.DuckDBPyConnection, database: str | None, schema: str, table: str
) -> list[tuple[str, str]]:
    """(name, type) of a table's columns; ``database`` None: the connection's own database."""
    return conn.execute(
        "select column_name, data_type from duckdb_columns()"
        " where database_name = coalesce(?, current_database()) and schema_name = ? and table_name = ?"
        " order by column_index",
        [database, schema, table],
    ).fetchall()


def parse_workers() -> int:
    """``OGI_PARSE_WORKERS`` (default: the machine's cores), read at run time."""
    value = os.environ.get("OGI_PARSE_WORKERS")
    return max(1, int(value)) if value else max(1, os.cpu_count() or 1)


def parallel_min_reports() -> int:
    """``OGI_PARSE_POOL_MIN_REPORTS`` (default ``PARALLEL_MIN_REPORTS``): the smallest run parsed by the pool.

    Read at run time; the tests lower it to send a few reports through the real process pool.
    """
    value = os.environ.get("OGI_PARSE_POOL_MIN_REPORTS")
    return max(1, int(value)) if value else PARALLEL_MIN_REPORTS


def parse_pending(
    conn: duckdb.DuckDBPyConnection, workers: int | None = None, progress: Progress | None = None
) -> ParseSummary:
    """Parse every landed report not yet parsed by this parser version; drop reports no longer landed.

    Runs of at least ``parallel_min_reports()`` reports are parsed by a pool of ``workers`` processes (spawned, not
    forked: the parent holds DuckDB and polars threads); smaller ones in this process, where start-up would
    cost more than it saves.
    """
    workers = parse_workers() if workers is None else workers
    ensure_tables(conn)
    version = parser_version()
    ensure_ledger(conn)
    removed = [
        report_id
        for (report_id,) in conn.execute(
            "select report_id from parsed.reports where report_id not in (select report_id from raw.landed_files)"
        ).fetchall()
    ]
    if removed:
        conn.execute("begin transaction")
        record_changed(conn, removed)
        for name in TABLES:
            conn.execute(f"delete from parsed.{name} where report_id in (select unnest(?))", [removed])
        conn.execute("commit")
    # ids first, texts one batch at a time: memory holds a batch of reports, never the corpus
    pending = _pending(conn, version)
    # Batches are fetched by row id (consecutive for new files, which landing appends): a filter on report_id
    # made DuckDB read every text of the table for each batch (4.8 s per batch at 100,000 reports, 0.03 s so).
    # A batch of reports never parsed before has no old rows to delete (a scan of every parsed table saved).
    batches = [
        ([row for row, _, _ in part], [rid for _, rid, before in part if before])
        for part in (pending[start : start + BATCH_SIZE] for start in range(0, len(pending), BATCH_SIZE))
    ]
    # One checkpoint at the end instead of one every ~10 batches: each checkpoint compresses what was written
    # since the last and took 1.6-3.4 s at 100,000 reports (the write-ahead log grows to ~2 GB meanwhile).
    threshold = conn.execute("select current_setting('checkpoint_threshold')").fetchone()[0]
    conn.execute(f"set checkpoint_threshold = '{PARSE_CHECKPOINT_THRESHOLD}'")
    in_pool = workers > 1 and len(pending) >= parallel_min_reports()
    memory = conn.execute("select current_setting('memory_limit')").fetchone()[0]
    if in_pool and not os.environ.get("OGI_DUCKDB_MEMORY_LIMIT"):
        conn.execute(f"set memory_limit = '{POOL_PARENT_MEMORY_LIMIT}'")
    stored = 0

    def done(count: int) -> None:
        nonlocal stored
        stored += count
        if progress:
            progress(stored, len(pending))

    try:
        if in_pool:
            _parse_in_pool(conn, batches, version, workers, done)
        else:
            for row_ids, stale in batches:
                rows = _fetch(conn, row_ids)
                _store_batch(conn, rows, stale, parse_reports(_readable(rows)), version)
                done(len(row_ids))
    finally:
        conn.execute(f"set checkpoint_threshold = '{threshold}'")
        conn.execute(f"set memory_limit = '{memory}'")
    if pending:
        conn.execute("checkpoint")
    counts = dict(conn.execute("select parse_status, count(*) from parsed.reports group by 1").fetchall())
    totals = [
        conn.execute(f"select count(*) from parsed.{t}").fetchone()[0]
        for t in ("table_cells", "prose_figures", "parse_issues")
    ]
    return ParseSummary(len(pending), len(removed), counts, *totals, workers=workers if in_pool else 1)


def parse_row_group_size(conn: duckdb.DuckDBPyConnection) -> int | None:
    """The row group size to open the parse run's connection with (``settings.connect_build``).

    An incremental run of a few reports appends in small row groups, so that its checkpoint does not rewrite
    the last default row group of every parsed table (2 GB of normalized texts at 100,000 reports); a bigger
    run keeps DuckDB's default, which dbt scans faster.
    """
    ensure_tables(conn)
    (count,) = conn.execute(f"select count(*) {_PENDING_FROM}", [parser_version()]).fetchone()
    return APPEND_ROW_GROUP_SIZE if count <= SMALL_PARSE_RUN else None


_PENDING_FROM = """
    from raw.landed_files as l
    left join parsed.reports as p on p.report_id = l.report_id
    where p.report_id is null or p.parser_version <> ?
"""
"""The landed reports not parsed by the parser version given as the parameter."""


def _pending(conn: duckdb.DuckDBPyConnection, version: str) -> list[tuple[int, str, bool]]:
    """(row id, report id, parsed before) of each landed report not parsed by this parser version."""
    return conn.execute(
        f"select l.rowid, l.report_id, p.report_id is not null as parsed_before {_PENDING_FROM} order by l.rowid",
        [version],
    ).fetchall()


def _fetch(conn: duckdb.DuckDBPyConnection, row_ids: list[int]) -> list[tuple]:
    return conn.execute(
        """
        select report_id, decoded_text, source_path, rejection_reason from raw.landed_files
        where rowid = any(?) order by source_path
        """,
        [row_ids],
    ).fetchall()


def _readable(rows: list[tuple]) -> list[tuple[str, str, str]]:
    return [(rid, text, path) for rid, text, path, reason in rows if reason is None and text is not None]


def _parse_in_pool(
    conn: duckdb.DuckDBPyConnection,
    batches: list[tuple[list[int], list[str]]],
    version: str,
    workers: int,
    done: Callable[[int], None],
) -> None:
    """Parse batches on a process pool, one batch ahead: workers parse batch k+1 while batch k is stored.

    Workers return polars frames (pickled as Arrow buffers), so the parent only concatenates and inserts;
    at most two batches of texts and frames are in memory at once.
    """
    in_flight: deque[tuple[list[tuple], list[str], list[Future]]] = deque()
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        for row_ids, stale in batches:
            rows = _fetch(conn, row_ids)
            readable = _readable(rows)
            chunks = [readable[i : i + CHUNK_SIZE] for i in range(0, len(readable), CHUNK_SIZE)]
            in_flight.append((rows, stale, [pool.submit(parse_reports, chunk) for chunk in chunks]))
            if len(in_flight) > 1:
                done(_store_parsed(conn, *in_flight.popleft(), version))
        while in_flight:
            done(_store_parsed(conn, *in_flight.popleft(), version))


def _store_parsed(
    conn: duckdb.DuckDBPyConnection, rows: list[tuple], stale: list[str], futures: list[Future], version: str
) -> int:
    """Store one batch the pool parsed; return how many reports it held."""
    parts = [future.result() for future in futures]
    frames = {
        name: pl.concat([part[name] for part in parts]) if parts else pl.DataFrame(schema=schema)
        for name, schema in TABLES.items()
    }
    _store_batch(conn, rows, stale, frames, version)
    return len(rows)


def _store_batch(
    conn: duckdb.DuckDBPyConnection,
    rows: list[tuple],
    stale: list[str],
    frames: dict[str, pl.DataFrame],
    version: str,
) -> None:
    """Replace the parsed rows of one batch in one transaction (``stale``: its reports parsed before)."""
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
    conn.execute("begin transaction")
    try:
        for name in TABLES:
            if stale:
                conn.execute(f"delete from parsed.{name} where report_id in (select unnest(?))", [stale])
            # Arrow string views, as polars holds them: no conversion to large strings (3x faster)
            conn.register("batch_frame", frames[name].to_arrow(compat_level=pl.CompatLevel.newest()))
            conn.execute(f"insert into parsed.{name} select * from batch_frame")
            conn.unregister("batch_frame")
        record_changed(conn, [row[0] for row in rows])
        conn.execute("commit")
    except duckdb.ConversionException as error:
        conn.execute("rollback")
        raise RuntimeError(
            "the parser wrote a table cell code that no map declares (parsed.table_cells stores the maps' codes"
            f" as ENUMs, see cell_code_domains): {error}"
        ) from error
    except Exception:
        conn.execute("rollback")
        raise
