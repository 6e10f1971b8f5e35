"""The GX suites fail on broken input (run on small frames, real Great Expectations)."""

from __future__ import annotations

import polars as pl

from orchestration.settings import EXPECTATIONS_DIR
from orchestration.warehouse.identity_suites import (
    SuiteRunner,
    validate_domain_rules,
    validate_identities,
    validate_soft_checks,
)

ROWS = pl.DataFrame(
    {
        "report_id": ["a", "a", "b", "c"],
        "check_code": ["balance", "prose_vs_table", "balance", "balance"],
        "scope": ["total", "applications_received", "total", "total"],
        "left_value": [5.0, 3.0, 2.0, None],
        "right_value": [5.0, 4.0, 3.0, None],
        "delta": [0.0, -1.0, -1.0, None],
        "status": ["pass", "fail", "fail", "not_assessable"],
        "severity": ["error", "warning", "error", "error"],
        "review_verdict": [None, None, None, None],
        "counts_against_report": [False, True, True, False],
    }
)


def test_identity_suite_fails_and_names_the_report_and_numbers() -> None:
    outcome = validate_identities(ROWS, SuiteRunner(EXPECTATIONS_DIR), ("balance",))["balance"]
    assert not outcome.success
    assert [(f["report_id"], f["delta"]) for f in outcome.failures] == [("b", -1.0)]


def test_dismissed_failure_does_not_fail_the_identity_suite() -> None:
    dismissed = ROWS.with_columns(
        pl.when(pl.col("report_id") == "b").then(pl.lit("dismissed")).otherwise(None).alias("review_verdict")
    )
    assert validate_identities(dismissed, SuiteRunner(EXPECTATIONS_DIR), ("balance",))["balance"].success


def test_soft_check_suite_fails_on_an_undismissed_warning() -> None:
    outcome = validate_soft_checks(ROWS, SuiteRunner(EXPECTATIONS_DIR))
    assert not outcome.success and outcome.failures[0]["scope"] == "applications_received"


def test_domain_rules_fail_on_negative_or_fractional_counts_and_two_canonical_reports() -> None:
    counts = pl.DataFrame(
        {
            "report_id": ["a", "b", "c"],
            "negative_counts": [1, 0, 0],
            "fractional_counts": [0, 1, 0],
            "example_cell": ["table3.disclosed.total=-1.0", "table3.disclosed.total=2.5", None],
        }
    )
    canonical = pl.DataFrame({"agency_id": ["g"], "report_year": [2020], "canonical_reports": [2]})
    counts_outcome, canonical_outcome = validate_domain_rules(counts, canonical, SuiteRunner(EXPECTATIONS_DIR))
    assert not counts_outcome.success and len(counts_outcome.failures) == 2
    assert not canonical_outcome.success
    good = validate_domain_rules(
        counts.with_columns(pl.lit(0).alias("negative_counts"), pl.lit(0).alias("fractional_counts")),
        canonical.with_columns(pl.lit(1).alias("canonical_reports")),
        SuiteRunner(EXPECTATIONS_DIR),
    )
    assert all(o.success for o in good)
