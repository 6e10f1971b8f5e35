"""A build database left by an older release must not break the parsing step."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.warehouse import parsed_store


def _columns(conn: duckdb.DuckDBPyConnection, table: str) -> int:
    return conn.execute(
        "select count(*) from duckdb_columns() where schema_name = 'parsed' and table_name = ?", [table]
    ).fetchone()[0]


def test_matching_tables_keep_their_rows(tmp_path: Path) -> None:
    conn = duckdb.connect(str(tmp_path / "build.duckdb"))
    parsed_store.ensure_tables(conn)
    conn.execute("insert into parsed.parse_issues (report_id) values ('kept')")
    parsed_store.ensure_tables(conn)
    assert conn.execute("select report_id from parsed.parse_issues").fetchall() == [("kept",)]


def test_a_table_with_old_columns_rebuilds_every_parsed_table(tmp_path: Path) -> None:
    conn = duckdb.connect(str(tmp_path / "build.duckdb"))
    parsed_store.ensure_tables(conn)
    declared = _columns(conn, "reports")
    conn.execute("insert into parsed.parse_issues (report_id) values ('stale')")
    conn.execute("alter table parsed.reports drop column parser_version")
    parsed_store.ensure_tables(conn)
    assert _columns(conn, "reports") == declared
    # the other tables go too: their rows belong to reports that will now be parsed again
    assert conn.execute("select count(*) from parsed.parse_issues").fetchone()[0] == 0


def test_parser_records_are_in_the_column_order_of_their_tables() -> None:
    """parse_rows writes a cell or prose figure as (report_id, *record): field order is column order."""
    from orchestration.parsing import schemas
    from orchestration.parsing.prose import ProseFigure
    from orchestration.parsing.tables import Cell

    assert ["report_id", *Cell._fields] == list(schemas.TABLE_CELLS)
    assert ["report_id", *ProseFigure._fields] == list(schemas.PROSE_FIGURES)
