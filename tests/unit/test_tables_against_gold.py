"""The table parser against the hand-checked gold files, cell by cell."""

from __future__ import annotations

import pytest

from orchestration.parsing.decode import decode_report_bytes
from orchestration.parsing.report import ParsedReport, parse_report
from tests import gold

TABLE_REPORTS = [g for g in gold.all_gold() if g.data.get("table3")]


def _parse(report: gold.GoldReport) -> ParsedReport:
    decoded = decode_report_bytes(report.raw_path.read_bytes(), report.raw_path.suffix)
    assert decoded.text is not None, decoded.rejection
    return parse_report(report.name, decoded.text, report.raw_path.name)


@pytest.mark.parametrize("report", TABLE_REPORTS, ids=lambda g: g.name)
def test_template_version_is_detected_from_content(report: gold.GoldReport) -> None:
    assert _parse(report).template_version == report.template_version


@pytest.mark.parametrize("report", TABLE_REPORTS, ids=lambda g: g.name)
def test_table3_cells_equal_gold(report: gold.GoldReport) -> None:
    parsed = _parse(report)
    got = {(c.row_code, c.column_code): c.value for c in parsed.cells if c.table_code == "table3"}
    expected = gold.table3_cells(report)
    assert set(got) == set(expected)
    wrong = {k: (got[k], v) for k, v in expected.items() if got[k] != v}
    assert not wrong, f"cells differing from gold (got, gold): {wrong}"


@pytest.mark.parametrize("report", TABLE_REPORTS, ids=lambda g: g.name)
def test_table4_cells_equal_gold(report: gold.GoldReport) -> None:
    parsed = _parse(report)
    got = {c.column_code: c.value for c in parsed.cells if c.table_code == "table4"}
    assert got == gold.table4_cells(report)


@pytest.mark.parametrize("report", TABLE_REPORTS, ids=lambda g: g.name)
def test_table2_cells_equal_gold_where_the_gold_could_split_them(report: gold.GoldReport) -> None:
    parsed = _parse(report)
    got = {(c.row_code, c.column_code): c.value for c in parsed.cells if c.table_code == "table2"}
    expected = gold.table2_cells(report)
    wrong = {k: (got.get(k, "missing"), v) for k, v in expected.items() if got.get(k, "missing") != v}
    assert not wrong, f"cells differing from gold (got, gold): {wrong}"


@pytest.mark.parametrize("report", TABLE_REPORTS, ids=lambda g: g.name)
def test_glued_table2_runs_are_null_with_the_run_kept_unless_one_digit_per_cell(
    report: gold.GoldReport,
) -> None:
    parsed = _parse(report)
    for row_label, run in report.data.get("table2_raw", {}).items():
        cells = [c for c in parsed.cells if c.table_code == "table2" and c.row_label_zh == row_label]
        assert cells, f"row {row_label} missing"
        if len(run) == len(cells) and run.isdigit():
            # "000" for three cells has one reading only.
            assert [c.value for c in cells] == [float(d) for d in run]
            continue
        assert all(c.value is None and c.raw_text == run for c in cells)
        assert any(row_label in i.message and run in i.message for i in parsed.issues)
