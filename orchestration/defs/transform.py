"""dbt: staging → intermediate → marts and quality, built with `dbt build` (models, seeds and tests)."""

import os
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_project
from orchestration.resources import WarehousePaths


class OgiDbtTranslator(DagsterDbtTranslator):
    """Groups dbt assets by layer (staging, intermediate, marts, quality; seeds as reference)."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props.get("resource_type") == "seed":
            return "reference"
        path = dbt_resource_props.get("fqn", [])
        return path[1] if len(path) > 2 else "dbt"


@dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=OgiDbtTranslator())
def ogi_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, paths: WarehousePaths) -> Iterator[Any]:
    """Every dbt model, seed and test, built into the build database (never the published file)."""
    # dbt reads the database path from OGI_BUILD_DB (profiles.yml); it is resolved now, per run.
    os.environ["OGI_BUILD_DB"] = str(paths.settings().build_db)
    yield from dbt.cli(["build"], context=context).stream()
