"""The pipeline's writable build connection appends into small row groups of their own."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.settings import BUILD_ROW_GROUP_SIZE, connect_build


def _row_groups(conn: duckdb.DuckDBPyConnection) -> int:
    return conn.execute("select count(distinct row_group_id) from pragma_storage_info('raw.t')").fetchone()[0]


def test_rows_appended_later_start_a_row_group_of_their_own(tmp_path: Path) -> None:
    path = tmp_path / "build.duckdb"
    with duckdb.connect(str(path)) as conn:  # a table written with DuckDB's default row group size
        conn.execute("create schema raw; create table raw.t as select range as i from range(20000)")
        assert _row_groups(conn) == 1
    with connect_build(path) as conn:
        assert conn.execute("select current_database()").fetchone()[0] == "build"
        conn.execute("insert into raw.t select range from range(100)")
        conn.execute("checkpoint")
        assert _row_groups(conn) == 2
        conn.execute(f"insert into raw.t select range from range({BUILD_ROW_GROUP_SIZE * 2})")
        conn.execute("checkpoint")
        assert _row_groups(conn) >= 4
    with connect_build(path, read_only=True) as conn:
        assert conn.execute("select count(*) from raw.t").fetchone()[0] == 20100 + BUILD_ROW_GROUP_SIZE * 2
