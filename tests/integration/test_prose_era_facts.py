"""Prose-era reports reach the facts: legacy outcome codes, reviews and lawsuits, the 统计表's year column."""

from __future__ import annotations

from tests.integration.conftest import PipelineRun


def _id(run: PipelineRun, path: str) -> str:
    return run.query("select report_id from marts.dim_report where source_path = ?", [path])[0][0]


def test_seed_002_breakdown_is_in_the_facts_with_legacy_codes(sample_run: PipelineRun) -> None:
    report_id = _id(sample_run, "seeds/002_97c419155873b293.txt")
    assert sample_run.query(
        "select applicant_type, new_received, source from marts.fct_applications where report_id = ?", [report_id]
    ) == [("total", 99, "prose")]
    outcomes = dict(
        sample_run.query(
            "select outcome_code, count from marts.fct_outcomes where report_id = ? and applicant_type = 'total'",
            [report_id],
        )
    )
    assert outcomes == {
        "legacy_already_public": 5,
        "legacy_granted": 49,
        "legacy_partially_granted": 3,
        "legacy_refused": 8,
        "legacy_not_own": 9,
        "legacy_not_exist": 10,
        "legacy_duplicate": 10,
    }
    groups = dict(
        sample_run.query("select outcome_code, outcome_group from marts.fct_outcomes where report_id = ?", [report_id])
    )
    assert groups["legacy_granted"] == "disclosed" and groups["legacy_already_public"] == "legacy"
    assert dict(
        sample_run.query("select review_result, count from marts.fct_reviews where report_id = ?", [report_id])
    ) == {"total": 14, "upheld": 11, "corrected": 3}
    assert sorted(
        sample_run.query(
            "select litigation_route, litigation_result, count from marts.fct_litigation where report_id = ?",
            [report_id],
        )
    ) == [("unspecified", "corrected", 2), ("unspecified", "total", 13), ("unspecified", "upheld", 11)]


def test_seeds_000_003_004_receive_0_10_0_and_no_reviews_or_lawsuits(sample_run: PipelineRun) -> None:
    for path, received in (
        ("seeds/000_4ddafd7475420ab8.txt", 0),
        ("seeds/003_a53f3851dc57af3f.txt", 10),
        ("seeds/004_9c37f1e5967ec932.txt", 0),
    ):
        report_id = _id(sample_run, path)
        assert sample_run.query("select new_received from marts.fct_applications where report_id = ?", [report_id]) == [
            (received,)
        ], path
        assert sample_run.query("select count from marts.fct_reviews where report_id = ?", [report_id]) == [(0,)]
        assert sample_run.query(
            "select litigation_route, count from marts.fct_litigation where report_id = ?", [report_id]
        ) == [("unspecified", 0)]


def test_stat_table_year_column_is_the_source_and_prose_is_not_mixed_in(sample_run: PipelineRun) -> None:
    report_id = _id(sample_run, "real/003_pingtan_county_2012.txt")
    assert sample_run.query(
        "select new_received, source from marts.fct_applications where report_id = ?", [report_id]
    ) == [(21, "table")]
    outcomes = dict(
        sample_run.query("select outcome_code, count from marts.fct_outcomes where report_id = ?", [report_id])
    )
    # The 统计表 prints 同意公开 17, 同意部分公开 2, 否决公开 2; the prose's "其它公开答复数2条" is the same 2 replies.
    assert outcomes == {"legacy_granted": 17, "legacy_partially_granted": 2, "legacy_refused": 2}
    cumulative = sample_run.query(
        "select value from marts.report_table_cells where report_id = ? and table_code = 'stat_table' "
        "and row_code = 'proactively_disclosed' and column_code = 'cumulative'",
        [report_id],
    )
    assert cumulative == [(3542.0,)]  # kept as evidence, never taken for the year's figure
