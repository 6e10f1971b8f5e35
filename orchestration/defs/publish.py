"""Publish: the checked build appears atomically at OGI_WAREHOUSE."""

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from orchestration.defs.quality import IDENTITY_CHECKS_ASSET
from orchestration.defs.transform import ogi_dbt_models
from orchestration.resources import WarehousePaths
from orchestration.warehouse.publish import PUBLISHED_SCHEMAS, publish

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
    summary = publish(
        settings.build_db,
        settings.warehouse_path,
        {"raw_dir": str(settings.raw_dir), "dagster_run_id": context.run_id},
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(summary.warehouse_path)),
            "size_bytes": summary.size_bytes,
            "schemas": dg.MetadataValue.json(list(PUBLISHED_SCHEMAS)),
            "table_rows": dg.MetadataValue.json(summary.tables),
        }
    )
