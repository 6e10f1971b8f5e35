"""Each recipe of docs/cookbook.md, run on the warehouse built from raw/, returns what the gold answers say."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.cookbook import recipe, recipes
from tests.gold import (
    agency_name,
    all_gold,
    arithmetic_failures,
    gold_region,
    granted,
    key_figure,
    outcome_groups,
    processed,
    received,
    source_path,
    stat_figure,
    table3_cells,
)
from tests.integration.conftest import PipelineRun


def _canonical(sample_run: PipelineRun) -> set[str]:
    return {p for (p,) in sample_run.query("select source_path from marts.dim_report where is_canonical")}


def _in_fujian(gold) -> bool:
    return gold_region(gold).startswith(("福建省", "35"))


def test_every_recipe_runs_read_only_and_returns_rows(sample_run: PipelineRun) -> None:
    for name, sql in recipes().items():
        assert sample_run.query(sql), f"recipe {name} returned nothing on the sample"


def test_top_agencies_by_applications(sample_run: PipelineRun) -> None:
    canonical = _canonical(sample_run)
    golds = [g for g in all_gold() if source_path(g) in canonical and _in_fujian(g) and g.data.get("year") == 2013]
    expected = sorted(((agency_name(g), received(g)) for g in golds), key=lambda row: (-row[1], row[0]))
    rows = sample_run.query(recipe("top_agencies_by_applications"))
    assert [(name, float(count)) for name, count, _of_received, _rate in rows] == expected
    found = {name: (of_received, rate) for name, count, of_received, rate in rows}
    for gold in golds:
        of_received, rate = found[agency_name(gold)]
        handled = processed(gold)
        assert of_received == (pytest.approx(granted(gold) / received(gold)) if received(gold) else None)
        assert rate == (pytest.approx(granted(gold) / handled) if handled else None)


def test_county_series(sample_run: PipelineRun) -> None:
    canonical = _canonical(sample_run)
    by_year: dict[int, list] = defaultdict(list)
    for gold in all_gold():
        if source_path(gold) in canonical and "平潭" in gold_region(gold):
            by_year[gold.data["year"]].append(gold)
    rows = {row[0]: row for row in sample_run.query(recipe("county_series"))}
    assert sorted(rows) == sorted(by_year)
    for year, golds in by_year.items():
        _year, reports, prose_era, new_received, total_processed, grant_rate, *rest = rows[year]
        grant_rate_reports, of_received = rest[0], rest[1]
        assert reports == len(golds)
        assert prose_era == sum(g.template_version == "prose" for g in golds)
        assert new_received == sum(received(g) for g in golds)
        handled = [p for g in golds if (p := processed(g)) is not None]
        assert total_processed == (sum(handled) if handled else None)
        # one meaning in every era, over the reports that state both terms: 予以公开 (同意公开) / （七）总计
        # (the prose's 办结/答复 total); and 予以公开 / 新收 (受理)
        for rate, denominator in ((grant_rate, processed), (of_received, received)):
            pairs = [(n, d) for g in golds if (n := granted(g)) is not None and (d := denominator(g))]
            assert rate == (round(sum(n for n, _ in pairs) / sum(d for _, d in pairs), 3) if pairs else None), year
        assert grant_rate_reports == sum(1 for g in golds if granted(g) is not None and processed(g)), year


def test_reports_that_do_not_add_up(sample_run: PipelineRun) -> None:
    canonical = _canonical(sample_run)
    expected = {
        (path, code, left, right)
        for path, found in arithmetic_failures().items()
        if path in canonical
        for code, left, right in found
    }
    assert expected, "the sample's known source errors (seed 002, real 005) must be among the expected rows"
    rows = sample_run.query(recipe("reports_that_do_not_add_up"))
    assert {(path, code, left, right) for path, _year, code, _scope, left, right, _delta in rows} == expected


def test_prose_table_disagreements(sample_run: PipelineRun) -> None:
    expected = set()
    for gold in all_gold():
        for figure, field in (
            ("received", "applications_received"),
            ("proactively_disclosed", "proactively_disclosed"),
            ("administrative_reconsiderations", "administrative_reconsiderations"),
            ("administrative_lawsuits", "administrative_lawsuits"),
        ):
            prose, table = key_figure(gold, field), stat_figure(gold, figure)
            if prose is not None and table is not None and prose != table:
                expected.add((source_path(gold), field, prose, table))
    assert expected
    rows = sample_run.query(recipe("prose_table_disagreements"))
    assert {(path, figure, prose, table) for path, _year, figure, prose, table in rows} == expected


def test_outcomes_by_province(sample_run: PipelineRun) -> None:
    groups = outcome_groups()
    canonical = _canonical(sample_run)
    expected: dict[tuple, list[float]] = defaultdict(list)
    for gold in all_gold():
        if source_path(gold) in canonical and _in_fujian(gold) and gold.data.get("table3"):
            for (row, column), value in table3_cells(gold).items():
                if column == "total" and row in groups:
                    expected[(gold.data["year"], groups[row])].append(value)
    rows = {
        (year, group): (total, stated)
        for province, year, group, total, stated in sample_run.query(recipe("outcomes_by_province"))
        if province == "福建省"
    }
    assert set(rows) == set(expected)
    for key, values in expected.items():
        stated = [v for v in values if v is not None]
        assert rows[key] == ((sum(stated) if stated else None), len(stated)), key


def test_open_failures_per_report(sample_run: PipelineRun) -> None:
    rows = {
        path: (failures, dismissed, open_)
        for path, failures, dismissed, open_ in sample_run.query(recipe("open_failures_per_report"))
    }
    # the sample's review file dismisses nothing: every failure is open
    assert all(dismissed == 0 and open_ == failures for failures, dismissed, open_ in rows.values())
    canonical = _canonical(sample_run)
    assert {p for p in arithmetic_failures() if p in canonical} <= set(rows)


def test_applicants_by_type(sample_run: PipelineRun) -> None:
    # seed 001 prints no year (its gold infers 2020; the warehouse keeps NULL, as the corpus allows)
    printed_year = dict(sample_run.query("select source_path, report_year from marts.dim_report where is_canonical"))
    expected: dict[tuple[int, str], float] = defaultdict(float)
    for gold in all_gold():
        year = printed_year.get(source_path(gold))
        if gold.data.get("table3") and year and year >= 2019:
            for (row, column), value in table3_cells(gold).items():
                if row == "new_received" and value is not None:
                    expected[(year, column)] += value
    rows = {(year, code): total for year, code, _label, total in sample_run.query(recipe("applicants_by_type"))}
    assert rows == expected
