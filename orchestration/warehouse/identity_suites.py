"""Run the Great Expectations suites of ``expectations/`` on compact tables computed in DuckDB.

The identities are computed once, in SQL (``quality.identity_checks``: left, right, delta, status per report
and scope); GX checks them: each identity suite expects the residual ``delta`` to be 0 wherever it is
assessable, the soft-check suite expects no failure a reviewer has not dismissed, and the domain suites check
counts and the one-canonical-report rule on the marts. GX 1.24 has no DuckDB datasource (and its SQL route
loses rows with duckdb-engine), so frames go to an ephemeral pandas datasource. Great Expectations is
imported lazily: importing it takes 4–5 s of CPU, more than the validations of a small refresh. The run
starts that import in the background while dbt builds (``preload_great_expectations``), when the run's own
process only waits for dbt's output.
"""

from __future__ import annotations

import importlib
import json
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from orchestration.warehouse.data_docs import OfflineSummary, make_offline

IDENTITY_CHECK_CODES = ("balance", "outcome_sum", "applicant_sum", "review_sum", "litigation_sum")
MAX_LISTED_FAILURES = 50


@dataclass(frozen=True)
class SuiteOutcome:
    """The result of one suite: success, counts, and the failing rows with their numbers."""

    name: str
    success: bool
    rows_checked: int
    failures: list[dict] = field(default_factory=list)
    expectation_results: list[dict] = field(default_factory=list)


# Compact residual tables for GX: what could break an expectation, not every cell. At 100,000 reports the
# printed counts are 15 million cells; one row per report (its negative and fractional counts) gives GX the
# same verdict, and the identity rows that pass with a zero residual satisfy every identity expectation.
COUNTS_SQL = """
    select report_id,
           count(*) filter (where value < 0) as negative_counts,
           count(*) filter (where value <> floor(value)) as fractional_counts,
           min(table_code || '.' || row_code || '.' || column_code || '=' || value)
               filter (where value < 0 or value <> floor(value)) as example_cell
    from marts.report_table_cells
    where table_code in ('table3', 'table4', 'stat_table') and (value < 0 or value <> floor(value))
    group by report_id
"""
IDENTITY_RESIDUAL_SQL = """
    select report_id, check_code, scope, left_value, right_value, delta, status, severity,
           review_verdict, counts_against_report
    from quality.identity_checks
    where status is distinct from 'pass' or delta is distinct from 0
"""
CANONICAL_SQL = """
    select agency_id, report_year, count(*) filter (where is_canonical) as canonical_reports
    from marts.dim_report where agency_id is not null and report_year is not null and parse_status <> 'rejected'
    group by 1, 2
"""


def preload_great_expectations() -> threading.Thread:
    """Import Great Expectations in a daemon thread; a later import waits for it instead of starting over."""
    thread = threading.Thread(
        target=importlib.import_module, args=("great_expectations",), name="preload-gx", daemon=True
    )
    thread.start()
    return thread


class SuiteRunner:
    """One ephemeral GX context validating frames against versioned suites.

    With ``docs_dir``, every validation also updates GX Data Docs there (an HTML site: suites and results).
    """

    def __init__(self, expectations_dir: Path, docs_dir: Path | None = None) -> None:
        import great_expectations as gx

        self._gx = gx
        self._dir = expectations_dir
        self._context = gx.get_context(mode="ephemeral")
        # tqdm bars on stderr ("Calculating Metrics") flood the run logs: one per validation
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self._context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self._source = self._context.data_sources.add_pandas("warehouse_frames")
        self._docs = docs_dir
        self.offline: OfflineSummary | None = None
        if docs_dir is not None:
            shutil.rmtree(docs_dir, ignore_errors=True)  # the docs describe the latest build only
            docs_dir.mkdir(parents=True, exist_ok=True)
            self._context.add_data_docs_site(
                site_name="ogi_warehouse",
                site_config={
                    "class_name": "SiteBuilder",
                    "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                },
            )

    def build_docs(self) -> str | None:
        """Write the Data Docs site for every validation of this runner, working offline; return its index URL.

        ``self.offline`` then says what was rewritten and which remote addresses are left (none expected).
        """
        if self._docs is None:
            return None
        url = self._context.build_data_docs(site_names=["ogi_warehouse"]).get("ogi_warehouse")
        self.offline = make_offline(self._docs)
        return url

    def validate(self, name: str, suite_file: str, frame: pl.DataFrame, failing: pl.Expr) -> SuiteOutcome:
        """Validate ``frame`` with the suite in ``suite_file``; ``failing`` selects the rows to list."""
        gx = self._gx
        with (self._dir / suite_file).open(encoding="utf-8") as handle:
            spec = json.load(handle)
        spec["name"] = f"{spec['name']}__{name}"
        suite = self._context.suites.add(gx.ExpectationSuite(**spec))
        asset = self._source.add_dataframe_asset(name=f"frame_{name}")
        batch = asset.add_batch_definition_whole_dataframe(f"all_{name}")
        validation = self._context.validation_definitions.add(
            gx.ValidationDefinition(name=f"validate_{name}", data=batch, suite=suite)
        )
        result = validation.run(
            batch_parameters={"dataframe": frame.to_pandas()}, result_format={"result_format": "SUMMARY"}
        )
        return SuiteOutcome(
            name=name,
            success=bool(result.success),
            rows_checked=frame.height,
            failures=frame.filter(failing).head(MAX_LISTED_FAILURES).to_dicts(),
            expectation_results=[
                {
                    "expectation": r.expectation_config.type,
                    "column": r.expectation_config.kwargs.get("column"),
                    "success": bool(r.success),
                    "unexpected_count": (r.result or {}).get("unexpected_count"),
                }
                for r in result.results
            ],
        )


def validate_identities(
    rows: pl.DataFrame, runner: SuiteRunner, check_codes: tuple[str, ...] = IDENTITY_CHECK_CODES
) -> dict[str, SuiteOutcome]:
    """Validate each hard identity's rows of ``quality.identity_checks`` against its suite.

    Rows a reviewer dismissed are left out: a dismissed failure no longer counts against the report.

    Args:
        rows: ``report_id, check_code, scope, left_value, right_value, delta, status, review_verdict`` rows.
        runner: the GX context and the folder holding ``identity_<check_code>.json`` suites.
        check_codes: which identities to validate.

    Returns:
        One ``SuiteOutcome`` per check code. A failing outcome lists the offending reports and numbers.
    """
    counted = rows.filter(pl.col("review_verdict").fill_null("") != "dismissed")
    outcomes = {}
    for code in check_codes:
        subset = counted.filter(pl.col("check_code") == code).sort("report_id", "scope")
        outcomes[code] = runner.validate(
            code,
            f"identity_{code}.json",
            subset.select("report_id", "scope", "left_value", "right_value", "delta", "status"),
            pl.col("delta").is_not_null() & (pl.col("delta") != 0),
        )
    return outcomes


def validate_soft_checks(rows: pl.DataFrame, runner: SuiteRunner) -> SuiteOutcome:
    """The warning-severity checks: no failure left that a reviewer has not dismissed."""
    subset = rows.filter(pl.col("severity") == "warning").sort("report_id", "check_code", "scope")
    return runner.validate(
        "soft_checks",
        "soft_checks.json",
        subset.select(
            "report_id", "check_code", "scope", "left_value", "right_value", "delta", "status", "counts_against_report"
        ),
        pl.col("counts_against_report"),
    )


def validate_domain_rules(counts: pl.DataFrame, canonical: pl.DataFrame, runner: SuiteRunner) -> list[SuiteOutcome]:
    """Counts never negative or fractional (a report's own problem: warning); one canonical report per
    agency-year (ours: error). ``counts`` is the per-report residual of ``COUNTS_SQL``: only reports with such
    a cell have a row (the filter before the grouping keeps the scan of every cell cheap)."""
    return [
        runner.validate(
            "counts_nonnegative",
            "domain_rules.json",
            counts,
            (pl.col("negative_counts") > 0) | (pl.col("fractional_counts") > 0),
        ),
        runner.validate("one_canonical_report", "canonical_reports.json", canonical, pl.col("canonical_reports") != 1),
    ]
