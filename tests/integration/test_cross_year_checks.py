"""The cross-year check links one agency's reports of consecutive years and flags a carried count that jumps.

Three years of one agency, all made from the HTML rendering of the real fmt2021 report 015 (平潭综合实验区):
2021 as printed (结转下年度 1), a 2022 copy whose 上年结转 says 2 (the 2021 report carried 1 forward: a
mismatch) and a 2023 copy that carries over exactly what 2022 carried forward. Each copy keeps its own
balance (新收 + 上年结转 = 办理 + 结转), so only the cross-year identity can be broken.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.conftest import PipelineRun, run_on_files

RENDERED = Path(__file__).resolve().parents[1] / "fixtures" / "rendered" / "015_pingtan_zone_2021.html"
OTHER_COLUMNS = "<td>0</td>" * 5
CARRIED_OVER = "<td>二、上年结转政府信息公开申请数量</td><td>{n}</td>" + OTHER_COLUMNS + "<td>{n}</td>"
CARRIED_FORWARD = "<td>四、结转下年度继续办理</td><td>{n}</td>" + OTHER_COLUMNS + "<td>{n}</td>"
# year -> (上年结转, 结转下年度) of the natural-person column and the total; 2021 is the report as printed
YEARS = {2021: (0, 1), 2022: (2, 3), 2023: (3, 4)}


def _as_year(original: str, year: int) -> str:
    printed_over, printed_forward = YEARS[2021]
    over, forward = YEARS[year]
    text = original.replace("2021年", f"{year}年")
    for template, old, new in ((CARRIED_OVER, printed_over, over), (CARRIED_FORWARD, printed_forward, forward)):
        assert text.count(template.format(n=old)) == 1, "the fixture's table 三 row must match exactly once"
        text = text.replace(template.format(n=old), template.format(n=new))
    return text


@pytest.fixture(scope="module")
def three_years(tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    original = RENDERED.read_text(encoding="utf-8")
    files: dict[str, str | bytes] = {f"zone_{year}.html": _as_year(original, year) for year in YEARS}
    run = run_on_files(tmp_path_factory.mktemp("cross_year"), files)
    assert run.result.success, "a cross-year difference is a warning, never a stop"
    return run


def _carry_checks(run: PipelineRun, source_path: str) -> dict[str, tuple]:
    rows = run.query(
        "select c.scope, c.status, c.left_value, c.right_value, c.severity, c.not_assessable_reason "
        "from quality.identity_checks c join marts.dim_report r using (report_id) "
        "where r.source_path = ? and c.check_code = 'carry_over_vs_prior_year'",
        [source_path],
    )
    return {scope: rest for scope, *rest in [tuple(r) for r in rows]}


def test_the_three_years_are_one_agency(three_years: PipelineRun) -> None:
    rows = three_years.query("select report_year, agency_id, is_canonical from marts.dim_report order by 1")
    assert [year for year, _, _ in rows] == [2021, 2022, 2023]
    assert len({agency for _, agency, _ in rows}) == 1
    assert all(canonical for _, _, canonical in rows)


def test_a_carried_over_count_that_differs_from_last_years_carried_forward_fails(three_years: PipelineRun) -> None:
    checks = _carry_checks(three_years, "zone_2022.html")
    assert checks["natural_person"] == ["fail", 2.0, 1.0, "warning", None]
    assert checks["total"] == ["fail", 2.0, 1.0, "warning", None]
    assert {status for status, *_ in checks.values()} == {"fail", "pass"}, "the other applicant columns agree (0 = 0)"


def test_a_carried_over_count_equal_to_last_years_passes(three_years: PipelineRun) -> None:
    checks = _carry_checks(three_years, "zone_2023.html")
    assert checks["natural_person"] == ["pass", 3.0, 3.0, "warning", None]
    assert {status for status, *_ in checks.values()} == {"pass"}


def test_the_first_year_has_nothing_to_compare_with(three_years: PipelineRun) -> None:
    assert _carry_checks(three_years, "zone_2021.html") == {}


def test_the_failure_is_a_warning_listed_by_the_gx_check(three_years: PipelineRun) -> None:
    (report_id,) = three_years.query("select report_id from marts.dim_report where source_path = 'zone_2022.html'")[0]
    evaluations = {e.check_name: e for e in three_years.result.get_asset_check_evaluations()}
    failing = [e for e in evaluations.values() if report_id in e.metadata.get("failing_reports", _Empty()).value]
    assert failing, "no asset check lists the report whose carried-over count jumps"
    assert all(e.severity.value == "WARN" for e in failing)


class _Empty:
    value: tuple = ()
