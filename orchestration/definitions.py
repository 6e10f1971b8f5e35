"""The ogi-warehouse code location: assets, checks, job, schedule, sensor and resources."""

from __future__ import annotations

import dagster as dg

from orchestration.dbt_project import DBT_EXECUTABLE, dbt_project
from orchestration.defs.automation import daily_refresh_schedule, raw_dir_changed, refresh_warehouse_job
from orchestration.defs.landing import landed_report_files, region_reference, review_verdicts
from orchestration.defs.parsing import parsed_reports
from orchestration.defs.publish import published_warehouse, static_report
from orchestration.defs.quality import gx_identity_suites
from orchestration.defs.transform import ogi_dbt_models
from orchestration.resources import DbtCli, WarehousePaths

defs = dg.Definitions(
    assets=[
        landed_report_files,
        region_reference,
        review_verdicts,
        parsed_reports,
        ogi_dbt_models,
        published_warehouse,
        static_report,
    ],
    asset_checks=[gx_identity_suites],
    jobs=[refresh_warehouse_job],
    schedules=[daily_refresh_schedule],
    sensors=[raw_dir_changed],
    resources={
        "dbt": DbtCli(project_dir=dbt_project, dbt_executable=str(DBT_EXECUTABLE)),
        "paths": WarehousePaths(),
    },
    executor=dg.in_process_executor,
)
