"""Great Expectations suites run as Dagster asset checks before publishing.

The hard identities and the soft checks are computed in SQL (`quality.identity_checks`); the suites in
`expectations/` check them, and two domain rules on the marts. Severity follows whose error it is: a report
whose own arithmetic or prose is wrong is kept as printed and gives a WARN listing the reports and numbers
(publishing goes on); a breach of our own contract (two canonical reports for one agency-year) is an ERROR
and blocks publishing. Keys, relationships and code lists are dbt tests (they appear as checks too).
"""

from collections.abc import Iterator

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from orchestration.defs.transform import ogi_dbt_models
from orchestration.resources import WarehousePaths
from orchestration.settings import EXPECTATIONS_DIR
from orchestration.warehouse.identity_suites import (
    CANONICAL_SQL,
    COUNTS_SQL,
    IDENTITY_CHECK_CODES,
    IDENTITY_RESIDUAL_SQL,
    SuiteOutcome,
    SuiteRunner,
    validate_domain_rules,
    validate_identities,
    validate_soft_checks,
)

IDENTITY_CHECKS_ASSET = get_asset_key_for_model([ogi_dbt_models], "identity_checks")
DIM_REPORT_ASSET = get_asset_key_for_model([ogi_dbt_models], "dim_report")
FCT_OUTCOMES_ASSET = get_asset_key_for_model([ogi_dbt_models], "fct_outcomes")
_DESCRIPTIONS = {
    "balance": "GX suite identity_balance: 一+二 = 三（七）+四 in every applicant column.",
    "outcome_sum": "GX suite identity_outcome_sum: （七）总计 = Σ outcome rows in every applicant column.",
    "applicant_sum": "GX suite identity_applicant_sum: 总计 = Σ six applicant columns in every row of table 三.",
    "review_sum": "GX suite identity_review_sum: 行政复议 维持+纠正+其他+尚未审结 = 总计.",
    "litigation_sum": "GX suite identity_litigation_sum: 行政诉讼 维持+纠正+其他+尚未审结 = 总计, both routes.",
}


def _result(
    check_name: str, asset_key: dg.AssetKey, outcome: SuiteOutcome, severity: dg.AssetCheckSeverity, failing_text: str
) -> dg.AssetCheckResult:
    failing_reports = sorted({f["report_id"] for f in outcome.failures if "report_id" in f})
    return dg.AssetCheckResult(
        check_name=check_name,
        asset_key=asset_key,
        passed=outcome.success,
        severity=severity,
        description=failing_text.format(n=len(failing_reports) or len(outcome.failures))
        if not outcome.success
        else f"all {outcome.rows_checked} rows hold",
        metadata={
            "rows_checked": outcome.rows_checked,
            "failing_reports": dg.MetadataValue.json(failing_reports),
            "failures": dg.MetadataValue.json(outcome.failures),
            "expectations": dg.MetadataValue.json(outcome.expectation_results),
        },
    )


@dg.multi_asset_check(
    specs=[
        *(
            dg.AssetCheckSpec(f"gx_{code}", asset=IDENTITY_CHECKS_ASSET, description=_DESCRIPTIONS[code], blocking=True)
            for code in IDENTITY_CHECK_CODES
        ),
        dg.AssetCheckSpec(
            "gx_soft_checks",
            asset=IDENTITY_CHECKS_ASSET,
            description="GX suite soft_checks: prose vs tables, year named, carry-over and stock across years.",
            blocking=True,
        ),
        dg.AssetCheckSpec(
            "gx_counts_nonnegative",
            asset=FCT_OUTCOMES_ASSET,
            description="GX suite domain_rules: every printed count (tables 三, 四, 统计表) is a whole number ≥ 0.",
            additional_deps=[DIM_REPORT_ASSET],
            blocking=True,
        ),
        dg.AssetCheckSpec(
            "gx_one_canonical_report",
            asset=DIM_REPORT_ASSET,
            description="GX suite canonical_reports: one canonical report per agency and year (blocks publishing).",
            blocking=True,
        ),
    ],
)
def gx_identity_suites(context: dg.AssetCheckExecutionContext, paths: WarehousePaths) -> Iterator[dg.AssetCheckResult]:
    """Validate `quality.identity_checks` and the marts with the versioned suites in `expectations/`."""
    with paths.build_connection(read_only=True) as conn:
        rows = conn.execute(IDENTITY_RESIDUAL_SQL).pl()
        counts = conn.execute(COUNTS_SQL).pl()
        canonical = conn.execute(CANONICAL_SQL).pl()
    runner = SuiteRunner(EXPECTATIONS_DIR, paths.settings().gx_docs_dir)
    outcomes = validate_identities(rows, runner)
    warn, error = dg.AssetCheckSeverity.WARN, dg.AssetCheckSeverity.ERROR
    for code in IDENTITY_CHECK_CODES:
        yield _result(
            f"gx_{code}",
            IDENTITY_CHECKS_ASSET,
            outcomes[code],
            warn,
            "{n} report(s) do not add up: kept as printed, flagged in quality.identity_checks",
        )
    yield _result(
        "gx_soft_checks",
        IDENTITY_CHECKS_ASSET,
        validate_soft_checks(rows, runner),
        warn,
        "{n} report(s) with a soft check failing and not dismissed",
    )
    counts_outcome, canonical_outcome = validate_domain_rules(counts, canonical, runner)
    docs = runner.build_docs()
    if docs:
        context.log.info(f"GX Data Docs of this build: {docs}")
    if runner.offline and runner.offline.remote:
        context.log.warning(f"GX Data Docs still load from the network: {', '.join(runner.offline.remote)}")
    yield _result(
        "gx_counts_nonnegative",
        FCT_OUTCOMES_ASSET,
        counts_outcome,
        warn,
        "{n} report(s) print a negative or fractional count",
    )
    yield _result(
        "gx_one_canonical_report",
        DIM_REPORT_ASSET,
        canonical_outcome,
        error,
        "{n} agency-year(s) with more than one canonical report: the warehouse is not published",
    )
