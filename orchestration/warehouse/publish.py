"""Publish a checked build: copy the analyst schemas into a new file and rename it over the warehouse.

Readers open ``OGI_WAREHOUSE`` read-only at any time. DuckDB lets no process open a file that a writer holds,
so the pipeline never writes to the published file: it writes a complete copy next to it and renames it into
place (``os.replace``, atomic on one file system). A reader that had the old file open keeps reading the old
build (its inode lives on until closed); the next open sees the new one. A crash before the rename leaves the
previous warehouse untouched.
"""

from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.settings import duckdb_config
from orchestration.warehouse.rebuild_scope import build_state, mark_published

PUBLISHED_SCHEMAS = ("marts", "quality", "reference")
UNPUBLISHED_REPORTS = "select report_id from build.pipeline.unpublished_reports"


@dataclass(frozen=True)
class RowReplacement:
    """Which rows of a published table an incremental publish replaces with the build's rows.

    ``reports`` selects the reports whose rows are replaced (it is evaluated before any row is deleted);
    ``whole`` is a condition on rows replaced whatever their report.
    """

    reports: str
    whole: str = "false"


def _canonical_rows(table: str) -> RowReplacement:
    """The rows of a fact table (canonical reports only): the changed reports, and the reports that lost the
    canonical choice of their agency-year (rows published, not canonical now) or gained it (rows built, none
    published), as the dbt macro refresh_by_report(canonical_only=true) rebuilds them."""
    return RowReplacement(
        f"""{UNPUBLISHED_REPORTS}
        union (select report_id from marts.{table}
               except select report_id from build.marts.dim_report where is_canonical)
        union (select report_id from build.marts.{table} except select report_id from marts.{table})"""
    )


FACT_TABLES = ("fct_applications", "fct_outcomes", "fct_reviews", "fct_litigation", "fct_proactive_disclosure")

INCREMENTAL_TABLES = {
    # rows that depend on their own report alone (not on the canonical choice or on other reports)
    ("marts", "report_table_cells"): RowReplacement(UNPUBLISHED_REPORTS),
    **{("marts", table): _canonical_rows(table) for table in FACT_TABLES},
    # a review verdict given or withdrawn changes a report's rows without the report changing; cross-report
    # checks depend on other reports (the rows the dbt macro refresh_by_report(rechecked=true) rebuilds)
    ("quality", "identity_checks"): RowReplacement(
        f"""{UNPUBLISHED_REPORTS}
        union select report_id from build.quality.identity_checks where review_verdict is not null
        union select report_id from quality.identity_checks where review_verdict is not null""",
        "check_code in (select check_code from build.reference.check_codes where basis = 'cross_report')",
    ),
}
"""Published tables an incremental publish updates row by row; every other table is copied whole."""
COMPACT_FREE_SHARE = 0.5
"""An incremental publish reuses the previous file; when this share of its blocks is free space left by
replaced rows, the next publish writes a fresh, compact file instead."""


@dataclass(frozen=True)
class PublishSummary:
    """What was published where, and how (``incremental``: the previous file updated in a copy)."""

    warehouse_path: Path
    tables: dict[str, int]
    size_bytes: int
    incremental: bool = False
    reason: str = ""


def publish(build_db: Path, warehouse_path: Path, build_info: dict[str, str]) -> PublishSummary:
    """Write the analyst schemas of ``build_db`` into a new file and atomically replace ``warehouse_path``.

    The new file is a copy of the previous one with only what changed rewritten when that file is the last
    one published from this build (its ``publish_id`` matches the build's), no full dbt refresh happened since
    and it is not mostly free space; otherwise it is written from scratch. Either way the reports changed
    since the last publish are marked published in the build only after the rename.
    """
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    # Copies left by a run that was killed before its rename (the caller holds the refresh lock, so no live
    # run owns one).
    for stale in warehouse_path.parent.glob(f".{warehouse_path.name}.*.tmp*"):
        stale.unlink(missing_ok=True)
    incremental, reason = _incremental_base(build_db, warehouse_path)
    publish_id = uuid.uuid4().hex
    staging = warehouse_path.with_name(f".{warehouse_path.name}.{publish_id}.tmp")
    tables: dict[str, int] = {}
    try:
        if incremental:
            shutil.copyfile(warehouse_path, staging)
        with duckdb.connect(str(staging), config=duckdb_config()) as out:
            out.execute(f"attach {_sql_literal(str(build_db))} as build (read_only)")
            listed = _tables(out, "build")
            for schema, table in sorted(set(_tables(out, _catalog(out))) - set(listed)):
                out.execute(f'drop table "{schema}"."{table}"')  # a table the build no longer has
            for schema, table in listed:
                out.execute(f'create schema if not exists "{schema}"')
                if incremental and (schema, table) in INCREMENTAL_TABLES and _has_table(out, schema, table):
                    _replace_rows(out, schema, table, INCREMENTAL_TABLES[schema, table])
                else:
                    out.execute(
                        f'create or replace table "{schema}"."{table}" as select * from build."{schema}"."{table}"'
                    )
                _copy_comments(out, schema, table)
                tables[f"{schema}.{table}"] = out.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
            out.execute("create schema if not exists meta")
            out.execute("create or replace table meta.build_info (key varchar primary key, value varchar)")
            info = {
                "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
                # readers need a DuckDB at least this new to open the file
                "duckdb_version": duckdb.__version__,
                "publish_id": publish_id,
                "publish_mode": "incremental" if incremental else "full",
                **build_info,
            }
            out.executemany("insert into meta.build_info values (?, ?)", sorted(info.items()))
            out.execute("detach build")
            out.execute("checkpoint")
        os.replace(staging, warehouse_path)
    finally:
        staging.unlink(missing_ok=True)
        Path(f"{staging}.wal").unlink(missing_ok=True)
    with duckdb.connect(str(build_db), config=duckdb_config()) as conn:
        mark_published(conn, publish_id)
    return PublishSummary(warehouse_path, tables, warehouse_path.stat().st_size, incremental, reason)


def _catalog(out: duckdb.DuckDBPyConnection) -> str:
    return out.execute("select current_database()").fetchone()[0]


def _tables(out: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return out.execute(
        """
        select schema_name, table_name from duckdb_tables()
        where database_name = ? and schema_name in (select unnest(?)) and not temporary
        order by 1, 2
        """,
        [catalog, list(PUBLISHED_SCHEMAS)],
    ).fetchall()


def _has_table(out: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return (schema, table) in _tables(out, _catalog(out))


def _replace_rows(out: duckdb.DuckDBPyConnection, schema: str, table: str, rows: RowReplacement) -> None:
    """Delete the rows ``rows`` names from the published copy, then copy the build's rows of the same kind."""
    out.execute(f"create or replace temp table replaced_reports as {rows.reports}")
    condition = f"report_id in (select report_id from replaced_reports) or ({rows.whole})"
    out.execute(f'delete from "{schema}"."{table}" where {condition}')
    out.execute(f'insert into "{schema}"."{table}" select * from build."{schema}"."{table}" where {condition}')
    out.execute("drop table replaced_reports")


def _incremental_base(build_db: Path, warehouse_path: Path) -> tuple[bool, str]:
    """Whether the published file can be the base of this publish, and why (not)."""
    if not warehouse_path.is_file():
        return False, "no published file yet"
    with duckdb.connect(str(build_db), read_only=True, config=duckdb_config()) as build:
        state = build_state(build)
    if "published_id" not in state:
        return False, "this build has not published before"
    if state.get("publish_full_needed"):
        return False, "the dbt project changed (full refresh) since the last publish"
    try:
        with duckdb.connect(str(warehouse_path), read_only=True, config=duckdb_config()) as published:
            row = published.execute("select value from meta.build_info where key = 'publish_id'").fetchone()
            _, _, _, total_blocks, _, free_blocks, *_ = published.execute("pragma database_size").fetchone()
    except duckdb.Error as error:
        return False, f"the published file cannot be read as a base ({error})"
    if row is None or row[0] != state["published_id"]:
        return False, "the published file is not the last one published from this build"
    if total_blocks and free_blocks / total_blocks > COMPACT_FREE_SHARE:
        return False, f"{free_blocks} of {total_blocks} blocks of the published file are free: written compact"
    return True, "incremental: the previous file with the reports changed since then replaced"


def _copy_comments(out: duckdb.DuckDBPyConnection, schema: str, table: str) -> None:
    """Carry the dbt descriptions (persisted as comments in the build) into the published table.

    ``create table as select`` copies data, not comments; analysts read them with ``duckdb_columns()`` or
    ``describe``-style queries in any client, so they must survive publishing.
    """
    (table_comment,) = out.execute(
        "select comment from duckdb_tables() where database_name = 'build' and schema_name = ? and table_name = ?",
        [schema, table],
    ).fetchone()
    if table_comment:
        out.execute(f'comment on table "{schema}"."{table}" is {_sql_literal(table_comment)}')
    columns = out.execute(
        "select column_name, comment from duckdb_columns()"
        " where database_name = 'build' and schema_name = ? and table_name = ? and comment is not null",
        [schema, table],
    ).fetchall()
    for column, comment in columns:
        out.execute(f'comment on column "{schema}"."{table}"."{column}" is {_sql_literal(comment)}')


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
