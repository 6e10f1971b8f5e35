"""The source errors known in the corpus appear as failures with their numbers; clean reports have none."""

from __future__ import annotations

import re

import pytest

from tests.integration.conftest import PipelineRun

KNOWN_ERRORS = [
    # seed 002: the outcome categories add up to 94 of the 99 applications received
    ("seeds/002_97c419155873b293.txt", "prose_outcome_sum", "total", 99.0, 94.0),
    # real/007: the prose reports one 行政复议, the 统计表 none
    ("real/007_pingtan_zone_2013.txt", "prose_vs_table", "administrative_reconsiderations", 1.0, 0.0),
    # real/004: the prose says 1913 items disclosed, the 统计表 739
    ("real/004_pingtan_zone_2012.txt", "prose_vs_table", "proactively_disclosed", 1913.0, 739.0),
]


@pytest.mark.parametrize(("path", "check_code", "scope", "left", "right"), KNOWN_ERRORS)
def test_known_source_error_is_a_failure_with_its_numbers(
    sample_run: PipelineRun, path: str, check_code: str, scope: str, left: float, right: float
) -> None:
    rows = sample_run.query(
        "select c.left_value, c.right_value, c.delta, c.status, c.severity from quality.identity_checks c "
        "join marts.dim_report r using (report_id) where r.source_path = ? and c.check_code = ? and c.scope = ?",
        [path, check_code, scope],
    )
    assert rows == [(left, right, left - right, "fail", "warning")]


def test_tabled_reports_of_the_corpus_pass_every_hard_identity(sample_run: PipelineRun) -> None:
    failing = sample_run.query(
        "select r.source_path, c.check_code, c.scope from quality.identity_checks c join marts.dim_report r "
        "using (report_id) where c.severity = 'error' and c.status = 'fail'"
    )
    assert failing == []


def test_blank_cells_make_checks_not_assessable_never_pass(sample_run: PipelineRun) -> None:
    rows = dict(
        sample_run.query(
            "select c.check_code || '/' || c.scope, c.status from quality.identity_checks c "
            "join marts.dim_report r using (report_id) where r.source_path = 'seeds/001_168270b2927a7f2f.txt'"
        )
    )
    assert rows["balance/total"] == "not_assessable"  # 上年结转 is blank
    assert rows["outcome_sum/natural_person"] == "not_assessable"  # （七）总计 is blank
    assert rows["applicant_sum/new_received"] == "pass"  # every cell printed (all 0)


def test_scorecard_counts_checks_per_report(sample_run: PipelineRun) -> None:
    rows = sample_run.query(
        "select checks_failed, hard_identities_failed, is_polluted, parse_status from quality.report_scorecard "
        "where source_path = 'seeds/002_97c419155873b293.txt'"
    )
    assert rows == [(1, 0, True, "parsed")]
    (agreement,) = sample_run.query(
        "select prose_table_agreement from quality.report_scorecard "
        "where source_path = 'real/015_pingtan_zone_2021.txt'"
    )[0]
    assert agreement == 1.0


def test_publish_materialization_carries_the_check_outcome_chart(sample_run: PipelineRun) -> None:
    materializations = sample_run.result.asset_materializations_for_node("published_warehouse")
    chart = materializations[-1].metadata["check_outcomes_by_year_and_template"].value
    assert "| report_year | template_version | pass | fail |" in chart
    assert "| 2021 | fmt2021 |" in chart


def test_gx_data_docs_are_written_for_the_build(sample_run: PipelineRun) -> None:
    index = sample_run.work_dir / "gx_data_docs" / "index.html"
    assert index.exists()
    pages = list((sample_run.work_dir / "gx_data_docs" / "validations").rglob("*.html"))
    assert len(pages) >= 8  # five identities, soft checks, two domain rules


LOADED = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"#]+)"')


def test_published_gx_data_docs_load_every_script_and_style_from_disk(sample_run: PipelineRun) -> None:
    """Offline, the pages are styled and list their validations: nothing they load is remote or missing."""
    site = sample_run.warehouse.with_name("ogi.gx-data-docs")
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 17  # index, 8 suites, 8 validations
    for page in pages:
        text = page.read_text(encoding="utf-8")
        loaded = LOADED.findall(text)
        assert any(name.endswith("jquery.min.js") for name in loaded), page
        for address in loaded:
            assert not address.startswith(("http:", "https:", "//")), f"{page.name} loads {address}"
            assert (page.parent / address).is_file(), f"{page.name} loads {address}, which is not there"
        assert "integrity=" not in text  # a browser refuses SRI-checked scripts from file://
        assert "vegaEmbed" not in text  # the chart libraries are dropped: no page may need them
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "identity_balance" in index and "validations/identity_balance__balance/" in index


def test_one_index_links_the_warehouse_report_checks_and_dbt_docs(sample_run: PipelineRun) -> None:
    index = sample_run.warehouse.with_name("ogi.html")
    text = index.read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"]+)">', text)
    assert links == ["ogi.report.html", "ogi.gx-data-docs/index.html"]
    assert all((index.parent / link).is_file() for link in links)
    assert "Tables and columns (dbt docs) <em>(not written yet: make docs)</em>" in text
    assert str(sample_run.warehouse) in text


def test_repeated_text_and_region_aggregates_are_flagged(sample_run: PipelineRun) -> None:
    rows = dict(
        sample_run.query(
            "select r.source_path || ':' || c.check_code, c.status from quality.identity_checks c "
            "join marts.dim_report r using (report_id) "
            "where c.check_code in ('text_repeated_from_prior_year', 'region_aggregate_vs_children')"
        )
    )
    # 平潭县 2012 repeats more than half of its 2011 sentences; its 2013 aggregate (7 received) is not the
    # sum of the department report inside it (0): both are flags for a reviewer.
    assert rows["real/003_pingtan_county_2012.txt:text_repeated_from_prior_year"] == "fail"
    assert rows["real/009_pingtan_zone_2015.txt:text_repeated_from_prior_year"] == "pass"
    assert rows["real/005_pingtan_county_2013.txt:region_aggregate_vs_children"] == "fail"


def test_a_cross_year_check_after_a_prose_year_says_why_it_cannot_run(sample_run: PipelineRun) -> None:
    # 平潭综合实验区 2019 (the first template year) follows its 2018 prose report, which has no table 三:
    # the check is listed as not assessable with that reason, not left out.
    rows = sample_run.query(
        "select c.scope, c.status, c.not_assessable_reason from quality.identity_checks c "
        "join marts.dim_report r using (report_id) "
        "where r.source_path = 'real/013_pingtan_zone_2019.txt' and c.check_code = 'carry_over_vs_prior_year'"
    )
    assert rows == [("total", "not_assessable", "the prior year report is prose-era: it has no table 三")]
    ((with_check, assessed, printing_no_input, share_where_printed),) = sample_run.query(
        "select reports_with_check, reports_assessed, reports_printing_no_input, assessed_share_where_printed "
        "from quality.check_coverage where check_code = 'carry_over_vs_prior_year'"
    )
    assert printing_no_input >= 1, "a prose-era prior year is not a miss of the parser"
    expected = assessed / (with_check - printing_no_input) if with_check > printing_no_input else None
    assert share_where_printed == expected


def test_row_counts_are_tables_on_the_asset_page_not_json_blobs(sample_run: PipelineRun) -> None:
    import dagster as dg

    published = sample_run.result.asset_materializations_for_node("published_warehouse")[-1].metadata["table_rows"]
    assert isinstance(published, dg.TableMetadataValue)
    rows = {record.data["table"]: record.data["rows"] for record in published.records}
    assert rows["marts.dim_report"] == sample_run.query("select count(*) from marts.dim_report")[0][0]
    parsed = [
        m.metadata["status_counts"]
        for m in sample_run.result.asset_materializations_for_node("parsed_reports")
        if "status_counts" in m.metadata
    ]
    assert parsed and isinstance(parsed[0], dg.TableMetadataValue)
    assert {r.data["parse_status"]: r.data["reports"] for r in parsed[0].records} == dict(
        sample_run.query("select parse_status, count(*) from marts.dim_report group by 1")
    )
