"""The whole pipeline on the sample reports: published marts hold the gold figures, every file is listed."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest

from tests import gold
from tests.integration.conftest import PipelineRun

CONTRACT_COLUMNS = {
    "marts.dim_report": {
        "report_id": "VARCHAR",
        "content_sha256": "VARCHAR",
        "source_path": "VARCHAR",
        "title": "VARCHAR",
        "agency_id": "VARCHAR",
        "report_year": "INTEGER",
        "published_date": "DATE",
        "template_version": "VARCHAR",
        "parse_status": "VARCHAR",
        "parse_message": "VARCHAR",
        "is_canonical": "BOOLEAN",
        "duplicate_of": "VARCHAR",
        "is_polluted": "BOOLEAN",
        "ingested_at": "TIMESTAMP",
    },
    "marts.dim_agency": {
        "agency_id": "VARCHAR",
        "agency_name": "VARCHAR",
        "agency_kind": "VARCHAR",
        "admin_level": "VARCHAR",
        "region_code": "VARCHAR",
    },
    "marts.dim_region": {
        "region_code": "VARCHAR",
        "region_name": "VARCHAR",
        "region_level": "VARCHAR",
        "province_code": "VARCHAR",
        "province_name": "VARCHAR",
        "prefecture_code": "VARCHAR",
        "prefecture_name": "VARCHAR",
        "county_code": "VARCHAR",
        "county_name": "VARCHAR",
        "valid_from_year": "INTEGER",
        "valid_to_year": "INTEGER",
        "current_code": "VARCHAR",
    },
    "marts.dim_year": {
        "report_year": "INTEGER",
        "regulation": "VARCHAR",
        "expected_template_version": "VARCHAR",
    },
    "marts.fct_applications": {
        "report_id": "VARCHAR",
        "agency_id": "VARCHAR",
        "region_code": "VARCHAR",
        "report_year": "INTEGER",
        "applicant_type": "VARCHAR",
        "new_received": "BIGINT",
        "carried_over": "BIGINT",
        "total_processed": "BIGINT",
        "carried_forward": "BIGINT",
        "source": "VARCHAR",
    },
    "marts.fct_outcomes": {
        "report_id": "VARCHAR",
        "agency_id": "VARCHAR",
        "region_code": "VARCHAR",
        "report_year": "INTEGER",
        "applicant_type": "VARCHAR",
        "outcome_group": "VARCHAR",
        "outcome_code": "VARCHAR",
        "label_zh": "VARCHAR",
        "count": "BIGINT",
        "source": "VARCHAR",
    },
    "marts.fct_reviews": {
        "report_id": "VARCHAR",
        "agency_id": "VARCHAR",
        "region_code": "VARCHAR",
        "report_year": "INTEGER",
        "review_result": "VARCHAR",
        "count": "BIGINT",
        "source": "VARCHAR",
    },
    "marts.fct_litigation": {
        "report_id": "VARCHAR",
        "agency_id": "VARCHAR",
        "region_code": "VARCHAR",
        "report_year": "INTEGER",
        "litigation_route": "VARCHAR",
        "litigation_result": "VARCHAR",
        "count": "BIGINT",
        "source": "VARCHAR",
    },
    "marts.fct_proactive_disclosure": {
        "report_id": "VARCHAR",
        "agency_id": "VARCHAR",
        "region_code": "VARCHAR",
        "report_year": "INTEGER",
        "item": "VARCHAR",
        "measure": "VARCHAR",
        "value": "DOUBLE",
        "label_zh": "VARCHAR",
    },
    "quality.identity_checks": {
        "report_id": "VARCHAR",
        "check_code": "VARCHAR",
        "scope": "VARCHAR",
        "left_value": "DOUBLE",
        "right_value": "DOUBLE",
        "delta": "DOUBLE",
        "status": "VARCHAR",
        "severity": "VARCHAR",
    },
}


def _report_id(run: PipelineRun, relative: str) -> str:
    (row,) = run.query("select report_id from marts.dim_report where source_path = ?", [relative])
    return row[0]


@pytest.mark.parametrize("table", sorted(CONTRACT_COLUMNS))
def test_every_contract_column_exists_with_its_type(sample_run: PipelineRun, table: str) -> None:
    schema, name = table.split(".")
    rows = sample_run.query(
        "select column_name, data_type from information_schema.columns where table_schema = ? and table_name = ?",
        [schema, name],
    )
    actual = dict(rows)
    for column, data_type in CONTRACT_COLUMNS[table].items():
        assert actual.get(column) == data_type, f"{table}.{column}: {actual.get(column)} != {data_type}"


def test_dim_report_lists_every_raw_file_with_its_sha(sample_run: PipelineRun) -> None:
    files = sorted(p for p in sample_run.raw_dir.rglob("*") if p.is_file() and not p.name.startswith("."))
    listed = dict(sample_run.query("select source_path, content_sha256 from marts.dim_report"))
    assert set(listed) == {p.relative_to(sample_run.raw_dir).as_posix() for p in files}
    for path in files:
        assert listed[path.relative_to(sample_run.raw_dir).as_posix()] == hashlib.sha256(path.read_bytes()).hexdigest()


def test_seed_001_pipe_table_lands_in_the_facts_with_blanks_as_null(sample_run: PipelineRun) -> None:
    report = next(g for g in gold.all_gold() if g.name == "seeds/001_168270b2927a7f2f.txt")
    report_id = _report_id(sample_run, "seeds/001_168270b2927a7f2f.txt")
    expected = gold.table3_cells(report)
    rows = sample_run.query(
        "select applicant_type, new_received, carried_over, total_processed, carried_forward "
        "from marts.fct_applications where report_id = ?",
        [report_id],
    )
    assert len(rows) == 7
    for applicant, new, carried, total, forward in rows:
        assert new == expected[("new_received", applicant)]
        assert carried is None and expected[("carried_over", applicant)] is None
        assert total == expected[("total_processed", applicant)]
        assert forward == expected[("carried_forward", applicant)]
    outcomes = dict(
        ((code, applicant), count)
        for code, applicant, count in sample_run.query(
            "select outcome_code, applicant_type, count from marts.fct_outcomes where report_id = ?",
            [report_id],
        )
    )
    for (row_code, applicant), value in expected.items():
        if (row_code, applicant) in outcomes:
            assert outcomes[(row_code, applicant)] == value
    assert len(outcomes) == 19 * 7  # fmt2019: (一)(二), 8 withheld, 3 unable, 5 not processed, (六) as one row
    (template, status) = sample_run.query(
        "select template_version, parse_status from marts.dim_report where report_id = ?", [report_id]
    )[0]
    assert (template, status) == ("fmt2019", "parsed")


def test_fmt2021_report_facts_equal_gold(sample_run: PipelineRun) -> None:
    report = next(g for g in gold.all_gold() if g.name == "real/015_pingtan_zone_2021.txt")
    report_id = _report_id(sample_run, "real/015_pingtan_zone_2021.txt")
    expected = gold.table3_cells(report)
    outcomes = {
        (code, applicant): count
        for code, applicant, count in sample_run.query(
            "select outcome_code, applicant_type, count from marts.fct_outcomes where report_id = ?",
            [report_id],
        )
    }
    outcome_expected = {k: v for k, v in expected.items() if k[0] in {c for c, _ in outcomes}}
    assert len(outcome_expected) == 21 * 7
    assert {k: outcomes[k] for k in outcome_expected} == outcome_expected
    totals = sample_run.query(
        "select new_received, carried_over, total_processed, carried_forward from marts.fct_applications "
        "where report_id = ? and applicant_type = 'total'",
        [report_id],
    )
    assert totals == [(70, 0, 69, 1)]
    reviews = dict(
        sample_run.query("select review_result, count from marts.fct_reviews where report_id = ?", [report_id])
    )
    assert reviews == {
        k: int(v)
        for k, v in zip(
            ["upheld", "corrected", "other", "pending", "total"],
            report.data["table4"]["行政复议"].values(),
            strict=True,
        )
    }
    lawsuits = sample_run.query(
        "select litigation_result, count from marts.fct_litigation where report_id = ? and litigation_route = 'direct'",
        [report_id],
    )
    assert dict(lawsuits)["total"] == report.data["table4"]["未经复议直接起诉"]["总计"]
    licensing = sample_run.query(
        "select value from marts.fct_proactive_disclosure where report_id = ? and item = 'administrative_licensing'",
        [report_id],
    )
    assert licensing == [(2293.0,)]
    statuses = dict(
        sample_run.query(
            "select status, count(*) from quality.identity_checks where report_id = ? and severity = 'error' "
            "group by 1",
            [report_id],
        )
    )
    assert statuses == {"pass": 7 + 7 + 25 + 3}  # balance and outcome_sum per column, applicant_sum per row, 3 groups


def test_prose_report_facts_equal_gold_with_source_prose(sample_run: PipelineRun) -> None:
    report = next(g for g in gold.all_gold() if g.name == "seeds/003_a53f3851dc57af3f.txt")
    report_id = _report_id(sample_run, "seeds/003_a53f3851dc57af3f.txt")
    figures = {f["field"]: f["value"] for f in report.data["key_figures"]}
    assert sample_run.query(
        "select applicant_type, new_received, total_processed, source from marts.fct_applications where report_id = ?",
        [report_id],
    ) == [("total", figures["applications_received"], None, "prose")]
    assert sample_run.query(
        "select review_result, count, source from marts.fct_reviews where report_id = ?", [report_id]
    ) == [("total", figures["administrative_reconsiderations"], "prose")]
    assert sample_run.query(
        "select litigation_route, litigation_result, count from marts.fct_litigation where report_id = ?",
        [report_id],
    ) == [("unspecified", "total", figures["administrative_lawsuits"])]
    (sentence,) = sample_run.query(
        "select sentence from marts.report_prose_figures where report_id = ? and field = 'applications_received'",
        [report_id],
    )[0]
    gold_sentence = next(f["sentence"] for f in report.data["key_figures"] if f["field"] == "applications_received")
    assert unicodedata.normalize("NFKC", gold_sentence) in sentence


def test_facts_hold_canonical_reports_only(sample_run: PipelineRun) -> None:
    for table in (
        "fct_applications",
        "fct_outcomes",
        "fct_reviews",
        "fct_litigation",
        "fct_proactive_disclosure",
    ):
        (count,) = sample_run.query(
            f"select count(*) from marts.{table} f join marts.dim_report r using (report_id) where not r.is_canonical"
        )[0]
        assert count == 0, table


def test_published_file_holds_only_analyst_schemas(sample_run: PipelineRun) -> None:
    schemas = {row[0] for row in sample_run.query("select distinct table_schema from information_schema.tables")}
    assert schemas == {"marts", "quality", "reference", "meta"}
