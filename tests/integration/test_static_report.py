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
    """Collects every element carrying data-value, with its data-* attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[dict[str, str]] = []
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = {k.removeprefix("data-"): v or "" for k, v in attrs if k.startswith("data-")}
        self.svgs += tag == "svg"
        if "value" in data:
            self.cells.append({"tag": tag, **data})


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
    assert parser.svgs == 2
    (count,) = [c for c in parser.cells if c["tag"] == "span"]
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
