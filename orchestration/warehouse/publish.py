"""Publish a checked build: copy the analyst schemas into a new file and rename it over the warehouse.

Readers open ``OGI_WAREHOUSE`` read-only at any time. DuckDB lets no process open a file that a writer holds,
so the pipeline never writes to the published file: it writes a complete copy next to it and renames it into
place (``os.replace``, atomic on one file system). A reader that had the old file open keeps reading the old
build (its inode lives on until closed); the next open sees the new one. A crash before the rename leaves the
previous warehouse untouched.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.settings import duckdb_config

PUBLISHED_SCHEMAS = ("marts", "quality", "reference")


@dataclass(frozen=True)
class PublishSummary:
    """What was published where."""

    warehouse_path: Path
    tables: dict[str, int]
    size_bytes: int


def publish(build_db: Path, warehouse_path: Path, build_info: dict[str, str]) -> PublishSummary:
    """Copy the analyst schemas of ``build_db`` into a fresh file and atomically replace ``warehouse_path``."""
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    # Copies left by a run that was killed before its rename (the caller holds the refresh lock, so no live
    # run owns one).
    for stale in warehouse_path.parent.glob(f".{warehouse_path.name}.*.tmp*"):
        stale.unlink(missing_ok=True)
    staging = warehouse_path.with_name(f".{warehouse_path.name}.{uuid.uuid4().hex}.tmp")
    tables: dict[str, int] = {}
    try:
        with duckdb.connect(str(staging), config=duckdb_config()) as out:
            out.execute(f"attach {_sql_literal(str(build_db))} as build (read_only)")
            listed = out.execute(
                """
                select table_schema, table_name from information_schema.tables
                where table_catalog = 'build' and table_schema in (select unnest(?))
                  and table_type = 'BASE TABLE'
                order by 1, 2
                """,
                [list(PUBLISHED_SCHEMAS)],
            ).fetchall()
            for schema, table in listed:
                out.execute(f'create schema if not exists "{schema}"')
                out.execute(f'create table "{schema}"."{table}" as select * from build."{schema}"."{table}"')
                _copy_comments(out, schema, table)
                tables[f"{schema}.{table}"] = out.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0]
            out.execute("create schema if not exists meta")
            out.execute("create table meta.build_info (key varchar primary key, value varchar)")
            info = {
                "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
                # readers need a DuckDB at least this new to open the file
                "duckdb_version": duckdb.__version__,
                **build_info,
            }
            out.executemany("insert into meta.build_info values (?, ?)", sorted(info.items()))
            out.execute("detach build")
            out.execute("checkpoint")
        os.replace(staging, warehouse_path)
    finally:
        staging.unlink(missing_ok=True)
        Path(f"{staging}.wal").unlink(missing_ok=True)
    return PublishSummary(warehouse_path, tables, warehouse_path.stat().st_size)


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
