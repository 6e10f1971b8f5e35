"""Run the Great Expectations suites of ``expectations/`` on the identity residuals.

The identities are computed once, in SQL (``quality.identity_checks``: left, right, delta, status per report
and scope). GX checks them: each suite expects the residual ``delta`` to be 0 wherever it is assessable. GX
1.24 has no DuckDB datasource (and its SQL route loses rows with duckdb-engine), so the rows are handed to an
ephemeral pandas datasource. Great Expectations is imported lazily: it costs seconds to import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

IDENTITY_CHECK_CODES = ("balance", "outcome_sum", "applicant_sum", "review_sum", "litigation_sum")
MAX_LISTED_FAILURES = 50


@dataclass(frozen=True)
class SuiteOutcome:
    """The result of one suite: success, counts, and the failing rows with their numbers."""

    check_code: str
    success: bool
    rows_checked: int
    rows_assessable: int
    failures: list[dict] = field(default_factory=list)
    expectation_results: list[dict] = field(default_factory=list)


def suite_path(expectations_dir: Path, check_code: str) -> Path:
    """Where the versioned suite of one identity lives."""
    return expectations_dir / f"identity_{check_code}.json"


def validate_identities(
    rows: pl.DataFrame, expectations_dir: Path, check_codes: tuple[str, ...] = IDENTITY_CHECK_CODES
) -> dict[str, SuiteOutcome]:
    """Validate each identity's rows of ``quality.identity_checks`` against its suite.

    Args:
        rows: ``report_id, check_code, scope, left_value, right_value, delta, status`` rows.
        expectations_dir: the folder holding ``identity_<check_code>.json`` suites.
        check_codes: which identities to validate.

    Returns:
        One ``SuiteOutcome`` per check code. A failing outcome lists the offending reports and numbers.
    """
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_pandas("identity_residuals")
    outcomes = {}
    for code in check_codes:
        with suite_path(expectations_dir, code).open(encoding="utf-8") as handle:
            suite = context.suites.add(gx.ExpectationSuite(**json.load(handle)))
        subset = rows.filter(pl.col("check_code") == code).sort("report_id", "scope")
        asset = source.add_dataframe_asset(name=f"residuals_{code}")
        batch = asset.add_batch_definition_whole_dataframe(f"all_{code}")
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"validate_{code}", data=batch, suite=suite)
        )
        result = validation.run(
            batch_parameters={"dataframe": subset.to_pandas()},
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["report_id", "scope"]},
        )
        failures = (
            subset.filter(pl.col("delta").is_not_null() & (pl.col("delta") != 0))
            .select("report_id", "scope", "left_value", "right_value", "delta")
            .head(MAX_LISTED_FAILURES)
            .to_dicts()
        )
        outcomes[code] = SuiteOutcome(
            check_code=code,
            success=bool(result.success),
            rows_checked=subset.height,
            rows_assessable=subset.filter(pl.col("status") != "not_assessable").height,
            failures=failures,
            expectation_results=[
                {
                    "expectation": r.expectation_config.type,
                    "success": bool(r.success),
                    "unexpected_count": (r.result or {}).get("unexpected_count"),
                }
                for r in result.results
            ],
        )
    return outcomes
