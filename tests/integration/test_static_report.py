"""The static HTML report written after each build: parsed back, its numbers are the sample's gold figures."""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

from tests.gold import (
    RAW_DIR,
    all_gold,
    arithmetic_failures,
    gold_region,
    key_figure,
    outcome_groups,
    processed,
    received,
    source_path,
    table3_cells,
)
from tests.integration.conftest import PipelineRun


class _Cells(HTMLParser):
    """Collects every element carrying data-* attributes (with the chart it is drawn in), and the ids."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str]] = []
        self.svgs = 0
        self.chart = ""
        self.last_chart = ""
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        data = {k.removeprefix("data-"): v or "" for k, v in attrs if k.startswith("data-")}
        if tag == "svg":
            self.svgs += 1
            self.chart = named.get("aria-label") or ""
        if named.get("id"):
            self.ids.add(named["id"] or "")
        if tag == "a" and (named.get("href") or "").startswith("#"):
            self.links.append((named["href"] or "")[1:])
        if data:
            self.cells.append({"tag": tag, "chart": self.chart, "figure": self.chart or self.last_chart, **data})

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.chart, self.last_chart = "", self.chart


def _report(sample_run: PipelineRun) -> tuple[_Cells, Path]:
    path = sample_run.warehouse.with_name("ogi.report.html")
    parser = _Cells()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser, path


def _value(text: str) -> float | None:
    return float(text) if text else None


def test_report_is_attached_to_the_run_and_written_beside_the_warehouse(sample_run: PipelineRun) -> None:
    (materialization,) = sample_run.result.asset_materializations_for_node("static_report")
    metadata = materialization.metadata
    assert Path(metadata["path"].value) == sample_run.warehouse.with_name("ogi.report.html")
    files = [p for p in RAW_DIR.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert metadata["raw_files"].value == len(files)
    parser, _ = _report(sample_run)
    assert parser.svgs == 3  # volumes, outcome mix, coverage
    (count,) = [c for c in parser.cells if c["tag"] == "span" and "value" in c]
    assert int(count["value"]) == len(files)


def test_volumes_by_year_are_the_gold_applications(sample_run: PipelineRun) -> None:
    printed_year = dict(sample_run.query("select source_path, report_year from marts.dim_report where is_canonical"))
    expected: dict[int, float] = defaultdict(float)
    for gold in all_gold():
        year = printed_year.get(source_path(gold))
        if year is not None and received(gold) is not None:
            expected[year] += received(gold)
    parser, _ = _report(sample_run)
    found = {
        int(c["year"]): _value(c["value"])
        for c in parser.cells
        if c.get("metric") == "new-received" and c.get("level") == "all"
    }
    assert found == expected
    # the chart's bars add up to the same totals
    bars: dict[int, float] = defaultdict(float)
    for c in parser.cells:
        if c["tag"] == "rect" and c.get("series") in ("national", "provincial", "prefectural", "county", "township"):
            bars[int(c["category"])] += float(c["value"])
    assert bars == {year: total for year, total in expected.items() if total}


def test_outcome_mix_is_the_gold_table(sample_run: PipelineRun) -> None:
    groups = outcome_groups()
    printed_year = dict(sample_run.query("select source_path, report_year from marts.dim_report where is_canonical"))
    expected: dict[tuple[int, str], list] = defaultdict(list)
    for gold in all_gold():
        year = printed_year.get(source_path(gold))
        if gold.data.get("table3") and year is not None:
            for (row, column), value in table3_cells(gold).items():
                if column == "total" and row in groups:
                    expected[(year, groups[row])].append(value)
    parser, _ = _report(sample_run)
    found = {(int(c["year"]), c["group"]): _value(c["value"]) for c in parser.cells if c.get("metric") == "outcome"}
    assert found == {
        key: (sum(v for v in values if v is not None) if any(v is not None for v in values) else None)
        for key, values in expected.items()
    }


def test_quality_status_counts_the_known_source_errors(sample_run: PipelineRun) -> None:
    canonical = {p for (p,) in sample_run.query("select source_path from marts.dim_report where is_canonical")}
    per_check: dict[str, int] = defaultdict(int)
    for path, failures in arithmetic_failures().items():
        if path in canonical:
            for code, _left, _right in failures:
                per_check[code] += 1
    parser, _ = _report(sample_run)
    failed = {c["check"]: int(c["value"]) for c in parser.cells if c.get("metric") == "failed"}
    for code, count in per_check.items():
        assert failed[code] == count, code
    assert all(failed[code] == 0 for code in ("balance", "outcome_sum", "applicant_sum", "review_sum"))


def test_region_table_shows_unstated_figures_as_blank_never_zero(sample_run: PipelineRun) -> None:
    parser, _ = _report(sample_run)
    fujian_2013 = {
        c["metric"]: c["value"] for c in parser.cells if c.get("region") == "350000" and c.get("year") == "2013"
    }
    # three prose-era reports: 7 + 0 + 0 received; a processed total only where one states it
    golds = [g for g in all_gold() if g.data.get("year") == 2013 and "平潭" in gold_region(g)]
    assert fujian_2013["reports"] == "3"
    assert fujian_2013["new-received"] == str(int(sum(received(g) for g in golds)))
    handled = [p for g in golds if (p := processed(g)) is not None]
    assert fujian_2013["total-processed"] == (str(int(sum(handled))) if handled else "")
    # a reconsideration is reported (007) but no result of one: the correction rate is unstated, never 0
    assert all(key_figure(g, "reconsideration_corrected") is None for g in golds)
    assert fujian_2013["review-correction-rate"] == ""


VOLUMES = "Applications received (本年新收) by report year and agency level"


def test_charts_keep_every_year_show_gaps_round_ticks_and_only_visible_legend_entries(
    sample_run: PipelineRun,
) -> None:
    years = {y for (y,) in sample_run.query("select distinct report_year from marts.dim_report where is_canonical")}
    years.discard(None)
    parser, _ = _report(sample_run)
    volumes = [c for c in parser.cells if c["chart"] == VOLUMES]
    gaps = {int(c["category"]) for c in volumes if "missing" in c}
    bars = {int(c["category"]) for c in volumes if c["tag"] == "rect" and "missing" not in c}
    assert gaps == set(range(min(years), max(years) + 1)) - years  # the sample has no 2010, 2020, 2022, 2024
    assert gaps and bars <= years
    ticks = [float(c["tick"]) for c in volumes if "tick" in c]
    assert len(ticks) >= 4 and ticks[0] == 0
    totals: dict[int, float] = defaultdict(float)
    for c in volumes:
        if c["tag"] == "rect" and "value" in c:
            totals[int(c["category"])] += float(c["value"])
    assert ticks[-1] >= max(totals.values()) > ticks[-2]
    for chart in {c["chart"] for c in parser.cells if c["chart"]}:
        drawn = {c["series"] for c in parser.cells if c["chart"] == chart and "series" in c}
        legend = {c["legend"] for c in parser.cells if "legend" in c and c["figure"] == chart}
        assert drawn == legend, chart  # no legend entry without a visible bar (township states only zeros)
    assert "township" not in {c["legend"] for c in parser.cells if "legend" in c and c["figure"] == VOLUMES}


def test_coverage_counts_every_file_by_province_year_and_status(sample_run: PipelineRun) -> None:
    parser, _ = _report(sample_run)
    cells = [c for c in parser.cells if c.get("metric") == "files" and "province" in c]
    (files,) = sample_run.query("select count(*) from marts.dim_report")[0]
    assert sum(int(c["value"]) for c in cells) == files
    by_status: dict[str, int] = defaultdict(int)
    for c in cells:
        for part in filter(None, c["split"].split(", ")):
            count, status = part.split(" ")
            by_status[status] += int(count)
    assert dict(by_status) == dict(sample_run.query("select parse_status, count(*) from marts.dim_report group by 1"))
    fujian_2013 = [c for c in cells if c["province"] == "350000" and c["year"] == "2013"]
    assert [c["split"] for c in fujian_2013] == ["2 parsed, 1 partial"]


def test_each_failing_check_links_to_its_reports_section_with_the_reports_figures(sample_run: PipelineRun) -> None:
    failing = sample_run.query(
        "select report_id, check_code, scope from quality.identity_checks where counts_against_report"
    )
    parser, _ = _report(sample_run)
    listed = {(c["report"], c["check"], c["scope"]) for c in parser.cells if c["tag"] == "tr" and "check" in c}
    assert listed == set(failing) and listed
    assert all(link in parser.ids for link in parser.links)
    assert {f"report-{report}" for report, _, _ in failing} <= set(parser.links)
    figures = dict(sample_run.query("select report_id, new_received from marts.metrics_report"))
    shown = {c["report"]: c["value"] for c in parser.cells if c.get("metric") == "new_received"}
    assert set(shown) == {report for report, _, _ in failing}
    for report, value in shown.items():
        assert _value(value) == figures[report], report  # a dash (blank) where the report states none
