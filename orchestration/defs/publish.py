"""Publish: the checked build appears atomically at OGI_WAREHOUSE."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from orchestration.defs.preview import counts_table, markdown_table
from orchestration.defs.quality import IDENTITY_CHECKS_ASSET
from orchestration.defs.transform import ogi_dbt_models
from orchestration.resources import WarehousePaths
from orchestration.warehouse.data_docs import refresh_published_docs
from orchestration.warehouse.landing import remember_fingerprint, remembered_fingerprint
from orchestration.warehouse.publish import PUBLISHED_SCHEMAS, publish
from orchestration.warehouse.static_report import write_static_report

CHECK_OUTCOMES_SQL = """
    select
        r.report_year,
        r.template_version,
        count(*) filter (where c.status = 'pass') as pass,
        count(*) filter (where c.counts_against_report) as fail,
        count(*) filter (where c.status = 'fail' and c.review_verdict = 'dismissed') as dismissed,
        count(*) filter (where c.status = 'not_assessable') as not_assessable,
        repeat('█', cast(round(20.0 * count(*) filter (where c.status = 'pass') / count(*)) as integer))
            || repeat('░', cast(round(20.0 * count(*) filter (where c.status <> 'pass') / count(*)) as integer))
            as share_passing
    from quality.identity_checks c join marts.dim_report r using (report_id)
    group by all order by 1, 2
"""
MART_ASSETS = [
    "dim_report",
    "dim_agency",
    "dim_region",
    "dim_year",
    "fct_applications",
    "fct_outcomes",
    "fct_reviews",
    "fct_litigation",
    "fct_proactive_disclosure",
    "report_table_cells",
    "report_prose_figures",
    "report_parse_issues",
    "report_scorecard",
    "check_coverage",
    "metrics_report",
    "metrics_region_year",
]


@dg.asset(
    group_name="publish",
    deps=[get_asset_key_for_model([ogi_dbt_models], name) for name in MART_ASSETS] + [IDENTITY_CHECKS_ASSET],
    kinds={"duckdb"},
)
def published_warehouse(context: dg.AssetExecutionContext, paths: WarehousePaths) -> dg.MaterializeResult:
    """The analyst file at OGI_WAREHOUSE: schemas marts, quality, reference and meta, replaced whole.

    Runs only after dbt build (models and tests) succeeded and the identity checks ran. Readers holding the
    previous file keep reading it; new readers open the new one. Nothing else ever writes that file.
    """
    settings = paths.settings()
    with paths.build_connection(read_only=True) as conn:
        outcomes = conn.execute(CHECK_OUTCOMES_SQL).pl()
    summary = publish(
        settings.build_db,
        settings.warehouse_path,
        {"raw_dir": str(settings.raw_dir), "dagster_run_id": context.run_id},
    )
    landed = remembered_fingerprint(settings.landed_fingerprint)
    if landed:  # the folder as this build landed it is now what analysts have
        remember_fingerprint(settings.published_fingerprint, landed)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(summary.warehouse_path)),
            "size_bytes": summary.size_bytes,
            "schemas": dg.MetadataValue.json(list(PUBLISHED_SCHEMAS)),
            "table_rows": counts_table(summary.tables, "table"),
            "check_outcomes_by_year_and_template": dg.MetadataValue.md(markdown_table(outcomes)),
        }
    )


@dg.asset(group_name="publish", deps=[published_warehouse], kinds={"html"})
def static_report(paths: WarehousePaths) -> dg.MaterializeResult:
    """A static HTML report of the published build (volumes, outcome mix, quality, provinces), beside it.

    Also puts the build's GX Data Docs beside it and writes the index page linking report, checks and dbt docs.

    Read from the published file, so it shows exactly what analysts query; charts are inline SVG, so it
    opens from disk in any browser without a server or network.
    """
    settings = paths.settings()
    summary = write_static_report(settings.warehouse_path, settings.static_report)
    index = refresh_published_docs(settings)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(summary.path)),
            "url": dg.MetadataValue.url(summary.path.as_uri()),
            "index": dg.MetadataValue.url(index.as_uri()),
            "raw_files": summary.reports,
            "report_years": summary.years,
            "applications_received": summary.new_received,
            "open_check_failures": summary.failed_checks,
        }
    )
