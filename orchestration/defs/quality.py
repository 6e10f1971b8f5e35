"""Great Expectations suites for the hard identities, run as Dagster asset checks on `identity_checks`.

A report whose own arithmetic is wrong is kept as printed: the check then fails with WARN severity and
lists the reports and numbers, and publishing goes on. Only a check that cannot run at all (missing table,
broken suite) fails with ERROR, which blocks publishing.
"""

from collections.abc import Iterator

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from orchestration.defs.transform import ogi_dbt_models
from orchestration.resources import WarehousePaths
from orchestration.settings import EXPECTATIONS_DIR
from orchestration.warehouse.identity_suites import IDENTITY_CHECK_CODES, validate_identities

IDENTITY_CHECKS_ASSET = get_asset_key_for_model([ogi_dbt_models], "identity_checks")
_DESCRIPTIONS = {
    "balance": "GX suite identity_balance: 一+二 = 三（七）+四 in every applicant column.",
    "outcome_sum": "GX suite identity_outcome_sum: （七）总计 = Σ outcome rows in every applicant column.",
    "applicant_sum": "GX suite identity_applicant_sum: 总计 = Σ six applicant columns in every row of table 三.",
    "review_sum": "GX suite identity_review_sum: 行政复议 维持+纠正+其他+尚未审结 = 总计.",
    "litigation_sum": "GX suite identity_litigation_sum: 行政诉讼 维持+纠正+其他+尚未审结 = 总计, both routes.",
}


@dg.multi_asset_check(
    specs=[
        dg.AssetCheckSpec(f"gx_{code}", asset=IDENTITY_CHECKS_ASSET, description=_DESCRIPTIONS[code], blocking=True)
        for code in IDENTITY_CHECK_CODES
    ],
)
def gx_identity_suites(paths: WarehousePaths) -> Iterator[dg.AssetCheckResult]:
    """Validate `quality.identity_checks` with the versioned suites in `expectations/`."""
    with paths.build_connection(read_only=True) as conn:
        rows = conn.execute(
            "select report_id, check_code, scope, left_value, right_value, delta, status from quality.identity_checks"
        ).pl()
    outcomes = validate_identities(rows, EXPECTATIONS_DIR)
    for code in IDENTITY_CHECK_CODES:
        outcome = outcomes[code]
        failing_reports = sorted({f["report_id"] for f in outcome.failures})
        yield dg.AssetCheckResult(
            check_name=f"gx_{code}",
            asset_key=IDENTITY_CHECKS_ASSET,
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.WARN,
            description=(
                f"{len(failing_reports)} report(s) do not add up: kept as printed, flagged in quality.identity_checks"
                if not outcome.success
                else f"all {outcome.rows_assessable} assessable rows add up"
            ),
            metadata={
                "rows_checked": outcome.rows_checked,
                "rows_assessable": outcome.rows_assessable,
                "failing_reports": dg.MetadataValue.json(failing_reports),
                "failures": dg.MetadataValue.json(outcome.failures),
                "expectations": dg.MetadataValue.json(outcome.expectation_results),
            },
        )
