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


def test_every_code_the_parser_writes_is_in_the_cell_code_domains(tmp_path: Path) -> None:
    """The ENUM columns of parsed.table_cells hold every code read from the gold and synthetic reports."""
    from bench.synthetic.corpus import generate
    from orchestration.parsing.decode import decode_report_bytes
    from orchestration.parsing.report import cell_code_domains, parse_rows
    from orchestration.parsing.schemas import TABLE_CELLS
    from tests import gold

    paths = [g.raw_path for g in gold.all_gold()] + [tmp_path / e.file for e in generate(tmp_path, 120, seed=3)]
    rows = [(str(i), decode_report_bytes(p.read_bytes(), p.suffix).text or "", p.name) for i, p in enumerate(paths)]
    cells = parse_rows(rows)["table_cells"]
    columns = list(TABLE_CELLS)
    seen = {column: {cell[columns.index(column)] for cell in cells} for column in cell_code_domains()}
    assert seen["table_code"] == {"table2", "table3", "table4", "stat_table"}
    for column, values in seen.items():
        assert values <= set(cell_code_domains()[column]), column


def test_a_code_outside_the_domains_fails_the_batch_with_a_clear_message(tmp_path: Path) -> None:
    import polars as pl
    import pytest

    from orchestration.parsing import schemas
    from orchestration.warehouse.rebuild_scope import ensure_ledger

    conn = duckdb.connect(str(tmp_path / "build.duckdb"))
    parsed_store.ensure_tables(conn)
    ensure_ledger(conn)
    frames = {name: pl.DataFrame(schema=schema) for name, schema in schemas.TABLES.items()}
    cell = ("r1", "table3", "no_such_row", "total", "x", "y", "1", 1.0, "number", None, 0, 1)
    frames["table_cells"] = pl.DataFrame([cell], schema=schemas.TABLE_CELLS, orient="row")
    with pytest.raises(RuntimeError, match="no map declares"):
        parsed_store._store_batch(conn, [("r1", "text", "r1.txt", None)], [], frames, "v")
    assert conn.execute("select count(*) from parsed.table_cells").fetchone()[0] == 0
