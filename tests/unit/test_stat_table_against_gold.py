"""The old 统计表: every printed year (and cumulative) value of the corpus equals the gold, rows in print order."""

from __future__ import annotations

import pytest

from orchestration.parsing import stat_table
from orchestration.parsing.decode import decode_report_bytes
from orchestration.parsing.normalize import label_key, normalize_text
from orchestration.parsing.report import ParsedReport, parse_report
from tests import gold

REPORTS = [g for g in gold.all_gold() if g.data.get("stat_table")]


def _parse(report: gold.GoldReport) -> ParsedReport:
    decoded = decode_report_bytes(report.raw_path.read_bytes(), report.raw_path.suffix)
    return parse_report(report.name, decoded.text, report.raw_path.name)


@pytest.mark.parametrize("report", REPORTS, ids=lambda g: g.name)
def test_stat_table_rows_and_both_columns_equal_gold(report: gold.GoldReport) -> None:
    cells = [c for c in _parse(report).cells if c.table_code == "stat_table"]
    rows: dict[str, dict[str, float | None]] = {}
    labels: dict[str, str] = {}
    for cell in cells:
        rows.setdefault(cell.row_code, {})[cell.column_code] = cell.value
        labels[cell.row_code] = cell.row_label_zh
    expected = list(report.data["stat_table"].items())
    assert len(rows) == len(expected)
    for (code, values), (gold_label, gold_values) in zip(rows.items(), expected, strict=True):
        assert label_key(gold_label.split("：")[-1].lstrip("0123456789.、")) in label_key(labels[code])
        year_label = next(k for k in gold_values if k != "历年累计")
        assert values["year"] == gold_values[year_label], (gold_label, values)
        assert values["cumulative"] == gold_values["历年累计"], (gold_label, values)


def test_glued_run_the_sums_cannot_decide_stays_null_with_an_issue() -> None:
    text = (
        "指标名称计量单位2012年度历年累计主动公开信息数条20263542其中：1.网站公开条179533042.政府公报公开条07"
        "受理依申请公开信息总数条00"
    )
    text = normalize_text(text).text
    result = stat_table.parse_stat_table(text)
    website = {c.column_code: c for c in result.cells if c.row_code == "proactive_website"}
    assert website["year"].value is None and website["year"].raw_text == "17953304"
    assert any("17953304" in i.message for i in result.issues)
    # The prose of the same report stating the year value decides it.
    decided = stat_table.parse_stat_table(text, {"proactive_website": {1795.0}, "proactively_disclosed": {2026.0}})
    values = {(c.row_code, c.column_code): c.value for c in decided.cells}
    assert values[("proactive_website", "year")] == 1795 and values[("proactive_website", "cumulative")] == 3304


def test_family_sums_split_glued_runs() -> None:
    text = "指标名称计量单位2011年度历年累计主动公开信息数条4251516其中：1.网站公开条41815092.政府公报公开条77"
    text = normalize_text(text).text
    values = {(c.row_code, c.column_code): c.value for c in stat_table.parse_stat_table(text).cells}
    assert values[("proactively_disclosed", "year")] == 425 and values[("proactively_disclosed", "cumulative")] == 1516
    assert values[("proactive_website", "year")] == 418
