"""Each GX identity check fails, naming the report and the numbers, when a report's identity is broken.

The broken reports are the HTML rendering of a real fmt2021 report (015) with one printed number changed:
the build still publishes (a report's own arithmetic error is a warning), the numbers stay as printed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cookbook import recipe
from tests.integration.conftest import PipelineRun, run_on_files, run_refresh

RENDERED = Path(__file__).resolve().parents[1] / "fixtures" / "rendered" / "015_pingtan_zone_2021.html"

ZEROS = "<td>0</td>" * 5
# check code -> (file name, [(printed row, edited row)], {scope: delta} expected to fail). Each edit breaks that
# identity alone: where one changed cell would break a second identity, a second cell compensates.
BREAKS = {
    "balance": (
        "balance.html",
        [
            (
                f"<td>二、上年结转政府信息公开申请数量</td><td>0</td>{ZEROS}<td>0</td>",
                f"<td>二、上年结转政府信息公开申请数量</td><td>5</td>{ZEROS}<td>5</td>",
            )
        ],
        {"natural_person": 5.0, "total": 5.0},
    ),
    "applicant_sum": (
        "applicant.html",
        [
            ("<td>（一）予以公开</td><td>27</td>", "<td>（一）予以公开</td><td>28</td>"),
            ("<td>（二）部分公开</td><td>5</td>", "<td>（二）部分公开</td><td>4</td>"),
        ],
        {"disclosed": -1.0, "partially_disclosed": 1.0},
    ),
    "outcome_sum": (
        "outcome.html",
        [
            (
                "<td>（七）总计</td><td>63</td><td>0</td><td>0</td><td>2</td><td>0</td><td>4</td><td>69</td>",
                "<td>（七）总计</td><td>64</td><td>0</td><td>0</td><td>2</td><td>0</td><td>4</td><td>70</td>",
            ),
            (
                f"<td>四、结转下年度继续办理</td><td>1</td>{ZEROS}<td>1</td>",
                f"<td>四、结转下年度继续办理</td><td>0</td>{ZEROS}<td>0</td>",
            ),
        ],
        {"natural_person": 1.0, "total": 1.0},
    ),
    "review_sum": (
        "review.html",
        [
            (
                "<tr><td>1</td><td>0</td><td>2</td><td>0</td><td>3</td>",
                "<tr><td>1</td><td>0</td><td>2</td><td>0</td><td>4</td>",
            )
        ],
        {"review": 1.0},
    ),
    "litigation_sum": (
        "litigation.html",
        [
            (
                "<td>12</td><td>0</td><td>0</td><td>0</td><td>12</td>",
                "<td>12</td><td>0</td><td>0</td><td>0</td><td>21</td>",
            )
        ],
        {"direct": 9.0},
    ),
}
HARD = tuple(BREAKS)


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    original = RENDERED.read_text(encoding="utf-8")
    files: dict[str, str | bytes] = {"intact.html": original, "empty.txt": b""}
    files["news.txt"] = "今天天气晴，市民出游踊跃。"
    for name, edits, _ in BREAKS.values():
        text = original
        for old, new in edits:
            assert text.count(old) == 1, f"fixture edit for {name} must match exactly once: {old}"
            text = text.replace(old, new)
        files[name] = text
    run = run_on_files(tmp_path_factory.mktemp("broken"), files)
    assert run.result.success, "a report's own arithmetic error must not stop the build"
    return run


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
    assert {f["scope"]: f["delta"] for f in failures} == BREAKS[check_code][2]
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


@pytest.mark.parametrize("check_code", sorted(BREAKS))
def test_exactly_the_broken_identity_fails_with_its_scopes_and_deltas(broken_run: PipelineRun, check_code: str) -> None:
    name, _, expected = BREAKS[check_code]
    rows = broken_run.query(
        "select c.check_code, c.scope, c.delta from quality.identity_checks c join marts.dim_report r "
        "using (report_id) where r.source_path = ? and c.status = 'fail' and c.severity = 'error'",
        [name],
    )
    assert {(code, scope): delta for code, scope, delta in rows} == {(check_code, s): d for s, d in expected.items()}


def test_the_intact_report_fails_no_check(broken_run: PipelineRun) -> None:
    rows = broken_run.query(
        "select c.check_code, c.scope from quality.identity_checks c join marts.dim_report r using (report_id) "
        "where r.source_path = 'intact.html' and c.status <> 'pass'"
    )
    assert rows == []


def test_cookbook_lists_exactly_the_broken_reports(broken_run: PipelineRun) -> None:
    rows = broken_run.query(recipe("reports_that_do_not_add_up"))
    found = {(path, code, scope, delta) for path, _year, code, scope, _left, _right, delta in rows}
    expected = {
        (name, code, scope, delta) for code, (name, _, deltas) in BREAKS.items() for scope, delta in deltas.items()
    }
    assert found == expected


def test_dismissed_failure_stays_dismissed_after_relanding_and_rebuilding(
    broken_run: PipelineRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (sha,) = broken_run.query("select content_sha256 from marts.dim_report where source_path = 'review.html'")[0]
    reviews = tmp_path / "reviews.csv"
    reviews.write_text(
        "content_sha256,check_code,scope,verdict,note,reviewer,reviewed_on\n"
        f"{sha},review_sum,review,dismissed,the agency printed 4 by mistake; confirmed by phone,auditor,2026-11-21\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("OGI_REVIEW_FILE", str(reviews))
    work = tmp_path / "fresh_work"  # a new work folder: every file is landed and parsed again
    warehouse = tmp_path / "out" / "ogi.duckdb"
    result = run_refresh(broken_run.raw_dir, warehouse, work)
    assert result.success
    rerun = PipelineRun(result, warehouse, broken_run.raw_dir, work)
    rows = rerun.query(
        "select c.status, c.review_verdict, c.counts_against_report from quality.identity_checks c "
        "join marts.dim_report r using (report_id) where r.source_path = 'review.html' and c.check_code = 'review_sum'"
    )
    assert rows == [("fail", "dismissed", False)]
    scorecard = rerun.query(
        "select checks_failed, checks_failed_dismissed from quality.report_scorecard where source_path = 'review.html'"
    )
    assert scorecard == [(0, 1)]
    open_failures = {row[0]: row[1:] for row in rerun.query(recipe("open_failures_per_report"))}
    assert open_failures["review.html"] == (1, 1, 0)
    assert open_failures["balance.html"] == (2, 0, 2)
    assert "review.html" not in {row[0] for row in rerun.query(recipe("reports_that_do_not_add_up"))}
    evaluations = {e.check_name: e for e in result.get_asset_check_evaluations()}
    assert evaluations["gx_review_sum"].passed
