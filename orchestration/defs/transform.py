"""dbt: staging → intermediate → marts and quality, built with `dbt build` (models, seeds and tests)."""

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.dbt_project import dbt_project
from orchestration.defs.preview import markdown_table
from orchestration.resources import WarehousePaths
from orchestration.warehouse.identity_suites import preload_great_expectations
from orchestration.warehouse.rebuild_scope import finish_build, plan_build
from orchestration.warehouse.test_failures import read_stored_failures, stored_failure_relations


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
    whole_project = context.selected_asset_keys == context.assets_def.keys
    args = plan.dbt_args(whole_project)
    context.log.info(f"dbt {' '.join(args)}: {plan.reason}; {plan.changed_reports} reports to rebuild")
    # One target folder reused run after run (runs never overlap: the refresh lock), not one left per run.
    # Tests of data conditions warn (they never block the publish); their results are held back and given
    # the failing rows dbt stored once the build is over, since dbt holds the database's lock until then.
    warned: list[dg.AssetCheckResult] = []
    preload_great_expectations()  # the checks step needs it next; this process only waits for dbt meanwhile
    try:
        for event in dbt.cli(args, context=context, target_path=Path("target/dagster")).stream():
            if _is_warning(event):
                warned.append(event)
            else:
                yield event
    except Exception:
        yield from warned
        raise
    if warned:
        relations = stored_failure_relations(dbt_project.manifest_path)
        with paths.build_connection(read_only=True) as conn:
            yield from (_with_failing_rows(context, conn, relations, result) for result in warned)
    if whole_project:
        # a build of some models only leaves the ledger for the next whole build
        with paths.build_connection() as conn:
            finish_build(conn, plan)


def _is_warning(event: object) -> bool:
    return isinstance(event, dg.AssetCheckResult) and not event.passed and event.severity == dg.AssetCheckSeverity.WARN


def _with_failing_rows(
    context: dg.AssetExecutionContext, conn: Any, relations: dict[str, str], result: dg.AssetCheckResult
) -> dg.AssetCheckResult:
    """The warned test's result with the rows behind it (and the reports they name) as metadata."""
    unique_id = result.metadata["unique_id"].value
    relation = relations.get(unique_id)
    failures = read_stored_failures(conn, relation) if relation else None
    if failures is None:
        return result
    description = f"{failures.total} row(s) fail this data check; published anyway, listed here"
    context.log.warning(f"{result.check_name} on {result.asset_key.to_user_string()}: {description}")
    return dg.AssetCheckResult(
        asset_key=result.asset_key,
        check_name=result.check_name,
        passed=False,
        severity=dg.AssetCheckSeverity.WARN,
        description=description,
        metadata={
            **result.metadata,
            "failing_rows": dg.MetadataValue.md(markdown_table(failures.rows)),
            "failing_reports": dg.MetadataValue.json(failures.report_ids),
            "stored_failures": failures.relation,
        },
    )
