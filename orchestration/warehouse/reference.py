"""Load the shipped region reference (``orchestration/reference/regions.csv.gz``) into the build database."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb


def load_region_reference(conn: duckdb.DuckDBPyConnection, csv_path: Path) -> tuple[int, bool]:
    """(Re)load ``raw.region_reference`` when the file changed; return (row count, reloaded)."""
    digest = hashlib.sha256(csv_path.read_bytes()).hexdigest()
    conn.execute("create schema if not exists raw")
    conn.execute("create table if not exists raw.reference_files (name varchar primary key, sha256 varchar)")
    known = conn.execute("select sha256 from raw.reference_files where name = 'regions'").fetchone()
    exists = conn.execute(
        "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = 'region_reference'"
    ).fetchone()[0]
    reloaded = not (known and known[0] == digest and exists)
    if reloaded:
        path = str(csv_path).replace("'", "''")
        conn.execute("begin transaction")
        conn.execute(
            f"""
            create or replace table raw.region_reference as
            select * from read_csv('{path}', header = true, all_varchar = true)
            """
        )
        conn.execute("insert or replace into raw.reference_files values ('regions', ?)", [digest])
        conn.execute("commit")
    count = conn.execute("select count(*) from raw.region_reference").fetchone()[0]
    return count, reloaded
