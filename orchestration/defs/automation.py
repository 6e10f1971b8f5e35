"""The refresh job, its daily schedule, and the sensor that refreshes when OGI_RAW_DIR changes."""

import dagster as dg

from orchestration.settings import load_settings
from orchestration.warehouse.landing import raw_dir_fingerprint, remembered_fingerprint

refresh_warehouse_job = dg.define_asset_job(
    name="refresh_warehouse",
    selection=dg.AssetSelection.all(),
    description="Land, parse, build (dbt), check (GX) and publish the warehouse from OGI_RAW_DIR.",
    executor_def=dg.in_process_executor,
)

daily_refresh_schedule = dg.ScheduleDefinition(
    name="daily_refresh",
    job=refresh_warehouse_job,
    cron_schedule="0 6 * * *",
    execution_timezone="Asia/Shanghai",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Rebuild every morning at 06:00 Beijing time (unchanged files are neither landed nor parsed again).",
)


@dg.sensor(
    name="raw_dir_changed",
    job=refresh_warehouse_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Refreshes when files under OGI_RAW_DIR are added, changed or removed.",
)
def raw_dir_changed(context: dg.SensorEvaluationContext) -> dg.SensorResult | dg.SkipReason:
    """Compare the folder's fingerprint with the cursor and the published build; one run per new state.

    A folder that is as the published build landed it (a `make run` just built it) is no change.
    """
    settings = load_settings()
    if not settings.raw_dir.is_dir():
        return dg.SkipReason(f"OGI_RAW_DIR {settings.raw_dir} is not a folder")
    fingerprint = raw_dir_fingerprint(settings.raw_dir)
    if fingerprint == context.cursor:
        return dg.SkipReason("no file added, changed or removed")
    if fingerprint == remembered_fingerprint(settings.published_fingerprint):
        return dg.SensorResult(skip_reason="the published build already holds the folder as it is", cursor=fingerprint)
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=fingerprint)], cursor=fingerprint)
