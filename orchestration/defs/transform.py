"""dbt: staging → intermediate → marts and quality, built with `dbt build` (models, seeds and tests)."""

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_project
from orchestration.resources import WarehousePaths
from orchestration.warehouse.rebuild_scope import finish_build, plan_build


class OgiDbtTranslator(DagsterDbtTranslator):
    """Groups dbt assets by layer (staging, intermediate, marts, quality; seeds as reference)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props.get("resource_type") == "seed":
            return "reference"
        path = dbt_resource_props.get("fqn", [])
        return path[1] if len(path) > 2 else "dbt"


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=OgiDbtTranslator())
def ogi_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, paths: WarehousePaths) -> Iterator[Any]:
    """Every dbt model, seed and test, built into the build database (never the published file).

    Incremental unless the dbt project changed: the big per-report models rebuild only the reports in the
    ledger written by parsing, which is emptied when the build succeeded (``rebuild_scope``).
    """
    # dbt reads the database path from OGI_BUILD_DB (profiles.yml); it is resolved now, per run.
    os.environ["OGI_BUILD_DB"] = str(paths.settings().build_db)
    with paths.build_connection() as conn:
        plan = plan_build(conn)
    context.log.info(f"dbt {' '.join(plan.dbt_args)}: {plan.reason}; {plan.changed_reports} reports to rebuild")
    # One target folder reused run after run (runs never overlap: the refresh lock), not one left per run.
    yield from dbt.cli(plan.dbt_args, context=context, target_path=Path("target/dagster")).stream()
    if context.selected_asset_keys == context.assets_def.keys:
        # a build of some models only leaves the ledger for the next whole build
        with paths.build_connection() as conn:
            finish_build(conn, plan)
