"""Each GX identity check fails, naming the report and the numbers, when a report's identity is broken.

The broken reports are the HTML rendering of a real fmt2021 report (015) with one printed number changed:
the build still publishes (a report's own arithmetic error is a warning), the numbers stay as printed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.conftest import PipelineRun, run_refresh

RENDERED = Path(__file__).resolve().parents[1] / "fixtures" / "rendered" / "015_pingtan_zone_2021.html"

# check code -> (file name, the printed row to change, the new row): each edit breaks that identity.
BREAKS = {
    "balance": (
        "balance.html",
        "<td>二、上年结转政府信息公开申请数量</td><td>0</td>",
        "<td>二、上年结转政府信息公开申请数量</td><td>5</td>",
    ),
    "applicant_sum": (
        "applicant.html",
        "<td>（一）予以公开</td><td>27</td>",
        "<td>（一）予以公开</td><td>28</td>",
    ),
    "outcome_sum": ("outcome.html", "<td>（七）总计</td><td>63</td>", "<td>（七）总计</td><td>64</td>"),
    "review_sum": (
        "review.html",
        "<tr><td>1</td><td>0</td><td>2</td><td>0</td><td>3</td>",
        "<tr><td>1</td><td>0</td><td>2</td><td>0</td><td>4</td>",
    ),
    "litigation_sum": (
        "litigation.html",
        "<td>12</td><td>0</td><td>0</td><td>0</td><td>12</td>",
        "<td>12</td><td>0</td><td>0</td><td>0</td><td>21</td>",
    ),
}


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    root = tmp_path_factory.mktemp("broken")
    raw = root / "raw"
    raw.mkdir()
    original = RENDERED.read_text(encoding="utf-8")
    (raw / "intact.html").write_text(original, encoding="utf-8")
    for name, old, new in BREAKS.values():
        assert original.count(old) == 1, f"fixture edit for {name} must match exactly once"
        (raw / name).write_text(original.replace(old, new), encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "news.txt").write_text("今天天气晴，市民出游踊跃。", encoding="utf-8")
    warehouse, work = root / "out" / "ogi.duckdb", root / "work"
    result = run_refresh(raw, warehouse, work)
    assert result.success, "a report's own arithmetic error must not stop the build"
    return PipelineRun(result, warehouse, raw, work)


@pytest.mark.parametrize("check_code", sorted(BREAKS))
def test_gx_check_fails_and_names_the_broken_report(broken_run: PipelineRun, check_code: str) -> None:
    evaluations = {e.check_name: e for e in broken_run.result.get_asset_check_evaluations()}
    evaluation = evaluations[f"gx_{check_code}"]
    assert not evaluation.passed
    assert evaluation.severity.value == "WARN"
    broken_file = BREAKS[check_code][0]
    (report_id,) = broken_run.query("select report_id from marts.dim_report where source_path = ?", [broken_file])[0]
    assert report_id in evaluation.metadata["failing_reports"].value
    failures = [f for f in evaluation.metadata["failures"].value if f["report_id"] == report_id]
    assert failures and all(f["delta"] != 0 for f in failures)
    (intact_id,) = broken_run.query("select report_id from marts.dim_report where source_path = 'intact.html'")[0]
    assert intact_id not in evaluation.metadata["failing_reports"].value


def test_broken_numbers_are_kept_as_printed_and_flagged(broken_run: PipelineRun) -> None:
    (report_id,) = broken_run.query("select report_id from marts.dim_report where source_path = 'balance.html'")[0]
    rows = broken_run.query(
        "select left_value, right_value, delta, status from quality.identity_checks "
        "where report_id = ? and check_code = 'balance' and scope = 'natural_person'",
        [report_id],
    )
    assert rows == [(69.0, 64.0, 5.0, "fail")]
    (carried,) = broken_run.query(
        "select value from marts.report_table_cells where report_id = ? and row_code = 'carried_over' "
        "and column_code = 'natural_person'",
        [report_id],
    )[0]
    assert carried == 5.0


def test_unusable_files_are_listed_as_rejected_with_the_reason(broken_run: PipelineRun) -> None:
    rows = dict(
        broken_run.query(
            "select source_path, parse_status || ': ' || parse_message from marts.dim_report "
            "where source_path in ('empty.txt', 'news.txt')"
        )
    )
    assert rows == {
        "empty.txt": "rejected: empty file",
        "news.txt": "rejected: not an OGI annual report: the text never mentions 信息公开",
    }
