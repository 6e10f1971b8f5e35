"""A report whose own arithmetic is wrong keeps its printed numbers; glued runs are split by the sums that hold."""

from __future__ import annotations

from orchestration.parsing import maps
from orchestration.parsing.report import ParsedReport, parse_report
from tests import gold

SOURCE = "real/015_pingtan_zone_2021.txt"


def _parse_edited(old: str, new: str) -> tuple[ParsedReport, gold.GoldReport]:
    report = next(g for g in gold.all_gold() if g.name == SOURCE)
    text = report.raw_path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    return parse_report("edited", text.replace(old, new), "edited.txt"), report


def _cells(parsed: ParsedReport, row_code: str) -> list[float | None]:
    return [c.value for c in parsed.cells if c.table_code == "table3" and c.row_code == row_code]


def test_wrong_carried_forward_is_kept_and_ambiguous_rows_still_split_by_the_outcome_sums() -> None:
    # 四、结转下年度继续办理 printed 2 where the balance needs 1: the balance no longer holds, the outcome sums do.
    parsed, report = _parse_edited("四、结转下年度继续办理1000001", "四、结转下年度继续办理2000002")
    expected = gold.table3_cells(report)
    assert _cells(parsed, "carried_forward") == [2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0]
    # "270020130" (予以公开) and "220000325" (不掌握) have two row splits each; (七)总计 decides.
    for row in ("disclosed", "unable_not_held"):
        assert _cells(parsed, row) == [expected[(row, c)] for c, _ in maps.table3_columns()]


def test_wrong_printed_total_is_never_repaired_and_undecidable_runs_stay_null() -> None:
    # (七)总计 printed 64 for 自然人 where the rows add up to 63: the outcome sums cannot choose any more.
    parsed, _report = _parse_edited("（七）总计630020469", "（七）总计640020470")
    assert _cells(parsed, "total_processed") == [64.0, 0.0, 0.0, 2.0, 0.0, 4.0, 70.0]
    assert _cells(parsed, "disclosed") == [None] * 7
    assert _cells(parsed, "unable_not_held") == [None] * 7
    messages = [i.message for i in parsed.issues]
    assert any("'270020130' has 2 splits" in m for m in messages)
    assert parsed.parse_status == "partial"
