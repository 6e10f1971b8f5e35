"""marts.metrics_report and marts.metrics_region_year against figures read off the gold answers."""

from __future__ import annotations

import csv
from collections import defaultdict

import pytest

from tests.gold import ROOT, all_gold, key_figure, processed, received, source_path, table3_cells, table4_cells
from tests.integration.conftest import PipelineRun

RATES = (
    "grant_rate",
    "grant_rate_of_received",
    "partial_rate",
    "unable_share",
    "unable_not_held_share",
    "not_processed_share",
    "carry_forward_rate",
    "review_correction_rate",
    "litigation_correction_rate",
)


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    return None if numerator is None or not denominator else numerator / denominator


def _strict_sum(values: list[float | None]) -> float | None:
    """A group's count: None as soon as one of its cells is blank (never a blank counted as 0)."""
    return None if not values or None in values else sum(values)


def _expected_table_metrics(gold) -> dict[str, float | None]:
    with (ROOT / "dbt_project" / "seeds" / "outcome_codes.csv").open(encoding="utf-8") as handle:
        groups = {row["outcome_code"]: row["outcome_group"] for row in csv.DictReader(handle)}
    cells = {row: v for (row, column), v in table3_cells(gold).items() if column == "total"}
    by_group: dict[str, list] = defaultdict(list)
    for row, value in cells.items():
        if row in groups:
            by_group[groups[row]].append(value)
    t4 = table4_cells(gold)
    denominator = cells.get("total_processed")
    review_decided = (
        None if None in (t4["review.total"], t4["review.pending"]) else t4["review.total"] - t4["review.pending"]
    )
    lit = {
        result: _strict_sum([t4[f"{route}.{result}"] for route in ("direct", "after_review")])
        for result in ("total", "pending", "corrected")
    }
    litigation_decided = None if None in (lit["total"], lit["pending"]) else lit["total"] - lit["pending"]
    inflow = (
        None
        if None in (cells.get("new_received"), cells.get("carried_over"))
        else (cells["new_received"] + cells["carried_over"])
    )
    return {
        "grant_rate": _ratio(_strict_sum(by_group["disclosed"]), denominator),
        "grant_rate_of_received": _ratio(_strict_sum(by_group["disclosed"]), cells.get("new_received")),
        "partial_rate": _ratio(_strict_sum(by_group["partially_disclosed"]), denominator),
        "unable_share": _ratio(_strict_sum(by_group["unable_to_provide"]), denominator),
        "unable_not_held_share": _ratio(cells.get("unable_not_held"), denominator),
        "not_processed_share": _ratio(_strict_sum(by_group["not_processed"]), denominator),
        "carry_forward_rate": _ratio(cells.get("carried_forward"), inflow),
        "review_correction_rate": _ratio(t4["review.corrected"], review_decided),
        "litigation_correction_rate": _ratio(lit["corrected"], litigation_decided),
    }


def _metrics(sample_run: PipelineRun, path: str) -> dict[str, object]:
    columns = ", ".join(RATES)
    rows = sample_run.query(
        f"select is_prose_era, uses_legacy_codes, {columns} from marts.metrics_report m "
        "join marts.dim_report r using (report_id) where r.source_path = ?",
        [path],
    )
    assert len(rows) == 1, path
    return dict(zip(("is_prose_era", "uses_legacy_codes", *RATES), rows[0], strict=True))


TABLED = [g for g in all_gold() if g.data.get("table3")]


@pytest.mark.parametrize("gold", TABLED, ids=[g.name for g in TABLED])
def test_table_era_rates_follow_their_formulas_on_the_gold_tables(sample_run: PipelineRun, gold) -> None:
    found = _metrics(sample_run, source_path(gold))
    assert (found["is_prose_era"], found["uses_legacy_codes"]) == (False, False)
    for rate, value in _expected_table_metrics(gold).items():
        assert found[rate] == pytest.approx(value) if value is not None else found[rate] is None, rate


def test_blank_cells_leave_rates_null_never_zero(sample_run: PipelineRun) -> None:
    # seed 001 prints 0 for 新收 and 予以公开 but leaves （七）总计 and most outcome rows blank
    rows = sample_run.query(
        "select disclosed_count, withheld_count, total_processed, grant_rate, partial_rate from marts.metrics_report "
        "join marts.dim_report using (report_id) where source_path = 'seeds/001_168270b2927a7f2f.txt'"
    )
    assert rows == [(0, None, None, None, None)]


def test_prose_era_rates_use_the_crosswalk_and_are_flagged(sample_run: PipelineRun) -> None:
    gold = next(g for g in all_gold() if source_path(g) == "seeds/002_97c419155873b293.txt")
    found = _metrics(sample_run, source_path(gold))
    assert (found["is_prose_era"], found["uses_legacy_codes"]) == (True, True)
    # one meaning in every era: over the requests handled. This report's gold states no answered total, but
    # its text does ("共受理依申请公开99件,全部依法办结": all received were handled; test_prose_shapes)
    total = processed(gold) or received(gold)
    assert found["grant_rate"] == pytest.approx(key_figure(gold, "legacy_granted") / total)
    assert found["grant_rate_of_received"] == pytest.approx(key_figure(gold, "legacy_granted") / received(gold))
    assert found["partial_rate"] == pytest.approx(key_figure(gold, "legacy_partially_granted") / total)
    not_held = key_figure(gold, "legacy_not_exist") + key_figure(gold, "legacy_not_own")
    assert found["unable_share"] == pytest.approx(not_held / total)
    assert found["unable_not_held_share"] == pytest.approx(not_held / total)
    assert found["not_processed_share"] == pytest.approx(key_figure(gold, "legacy_duplicate") / total)
    upheld, corrected = key_figure(gold, "reconsideration_upheld"), key_figure(gold, "reconsideration_corrected")
    assert found["review_correction_rate"] == pytest.approx(corrected / (upheld + corrected))
    upheld, corrected = key_figure(gold, "lawsuit_upheld"), key_figure(gold, "lawsuit_corrected")
    assert found["litigation_correction_rate"] == pytest.approx(corrected / (upheld + corrected))
    assert found["carry_forward_rate"] is None  # the prose states no carry-over


def test_region_rollup_is_the_ratio_of_sums_over_its_reports(sample_run: PipelineRun) -> None:
    reports = sample_run.query(
        "select report_year, region_code, new_received, disclosed_count, total_processed, grant_rate "
        "from marts.metrics_report where report_year is not null and region_code is not null"
    )
    versions: dict[str, list] = defaultdict(list)
    for code, start, end, *hierarchy in sample_run.query(
        "select region_code, valid_from_year, valid_to_year, province_code, prefecture_code, county_code "
        "from marts.dim_region where region_code in (select region_code from marts.metrics_report)"
    ):
        versions[code].append((start, end, hierarchy))

    def hierarchy(code: str, year: int) -> list[str | None]:
        # the version in force that year; a code first listed later (9-digit townships from 2015): its latest
        in_force = [h for start, end, h in versions[code] if start <= year <= (end or year)]
        return in_force[0] if in_force else max(versions[code])[2]

    reports = [(year, *hierarchy(code, year), *figures) for year, code, *figures in reports]
    expected: dict[tuple[str, int], list] = defaultdict(list)
    for year, province, prefecture, county, *figures in reports:
        for code in {province, prefecture, county} - {None}:
            expected[(code, year)].append(figures)
    rows = {
        (code, year): (n, new, rate)
        for code, year, n, new, rate in sample_run.query(
            "select region_code, report_year, reports, new_received, grant_rate from marts.metrics_region_year"
        )
    }
    assert set(rows) == set(expected)
    for key, figures in expected.items():
        stated = [f for f in figures if f[3] is not None]
        rate = sum(f[1] for f in stated) / sum(f[2] for f in stated) if stated else None
        news = [f[0] for f in figures if f[0] is not None]
        assert rows[key][:2] == (len(figures), sum(news) if news else None), key
        assert rows[key][2] == pytest.approx(rate) if rate is not None else rows[key][2] is None, key
    assert rows[("350000", 2025)][:2] == (1, received(next(g for g in all_gold() if g.data.get("year") == 2025)))


def test_prose_era_rates_are_over_the_handled_total_not_over_received(sample_run: PipelineRun) -> None:
    # a 统计表 report that received 7 and answered 3: the rates divide by 3; the other rate by 7
    gold = next(g for g in all_gold() if source_path(g) == "real/005_pingtan_county_2013.txt")
    handled, got = processed(gold), received(gold)
    assert handled and got and handled != got
    granted = sample_run.query(
        "select disclosed_count, grant_rate, grant_rate_of_received from marts.metrics_report"
        " join marts.dim_report using (report_id) where source_path = ?",
        [source_path(gold)],
    )
    ((count, rate, of_received),) = granted
    assert count is not None
    assert rate == pytest.approx(count / handled)
    assert of_received == pytest.approx(count / got)
