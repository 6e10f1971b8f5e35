"""The dbt project as Dagster sees it (kept alone in this module, as dagster-dbt's packaging expects)."""

from __future__ import annotations

import sys
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import DBT_PROJECT_DIR

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)

DBT_EXECUTABLE = Path(sys.executable).with_name("dbt")
"""The dbt of the running environment, so that nothing depends on PATH (cron, `dagster dev`, CI)."""
