"""The build connection's row group size: small appends get row groups of their own, big runs the default."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.settings import APPEND_ROW_GROUP_SIZE, connect_build
from orchestration.warehouse.parsed_store import SMALL_PARSE_RUN, parse_row_group_size


def _row_groups(conn: duckdb.DuckDBPyConnection, table: str = "raw.t") -> int:
    return conn.execute(f"select count(distinct row_group_id) from pragma_storage_info('{table}')").fetchone()[0]


def test_rows_appended_with_a_small_size_start_a_row_group_of_their_own(tmp_path: Path) -> None:
    path = tmp_path / "build.duckdb"
    with connect_build(path) as conn:  # DuckDB's default size: 20,000 rows and 100 more share one row group
        conn.execute("create schema raw; create table raw.t as select range as i from range(20000)")
        conn.execute("insert into raw.t select range from range(100)")
        conn.execute("checkpoint")
        assert _row_groups(conn) == 1
    with connect_build(path, row_group_size=APPEND_ROW_GROUP_SIZE) as conn:
        assert conn.execute("select current_database()").fetchone()[0] == "build"
        conn.execute("insert into raw.t select range from range(100)")
        conn.execute("checkpoint")
        assert _row_groups(conn) == 2  # the full-size group was not appended to, so not rewritten
        conn.execute(f"insert into raw.t select range from range({APPEND_ROW_GROUP_SIZE * 2})")
        conn.execute("checkpoint")
        assert _row_groups(conn) == 4
    with connect_build(path, read_only=True) as conn:
        assert conn.execute("select count(*) from raw.t").fetchone()[0] == 20200 + APPEND_ROW_GROUP_SIZE * 2


def test_a_parse_run_of_few_reports_appends_in_small_row_groups(tmp_path: Path) -> None:
    path = tmp_path / "build.duckdb"
    with connect_build(path) as conn:
        conn.execute(
            "create schema raw; create table raw.landed_files as select 'r' || range as report_id from range(?)",
            [SMALL_PARSE_RUN + 1],
        )
        assert parse_row_group_size(conn) is None  # a big run: DuckDB's default row groups
        conn.execute("delete from raw.landed_files where report_id <> 'r0'")
        assert parse_row_group_size(conn) == APPEND_ROW_GROUP_SIZE
