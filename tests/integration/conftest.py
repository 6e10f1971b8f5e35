"""Run the real pipeline (Dagster in-process, real DuckDB, dbt and GX) into temporary folders."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.settings import DBT_PROJECT_DIR
from tests.gold import RAW_DIR


@dataclass
class PipelineRun:
    """A finished refresh: its Dagster result and where it published."""

    result: dg.ExecuteInProcessResult
    warehouse: Path
    raw_dir: Path
    work_dir: Path

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as conn:
            return conn.execute(sql, params or []).fetchall()


def run_dbt(build_db: Path, target: Path, *args: str) -> subprocess.CompletedProcess:
    """The environment's own dbt (as the pipeline runs it) on ``build_db``, writing artifacts under ``target``
    so the project's own target folder and manifest stay untouched."""
    env = {**os.environ, "OGI_BUILD_DB": str(build_db), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    command = [str(Path(sys.executable).with_name("dbt")), *args, "--profiles-dir", "."]
    command += ["--target-path", str(target), "--log-path", str(target / "logs")]
    return subprocess.run(command, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True)


def run_on_files(root: Path, files: dict[str, str | bytes]) -> PipelineRun:
    """Write ``files`` (name → text or bytes) into ``root/raw`` and refresh into ``root/out`` and ``root/work``."""
    raw = root / "raw"
    raw.mkdir()
    for name, content in files.items():
        target = raw / name
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    warehouse, work = root / "out" / "ogi.duckdb", root / "work"
    return PipelineRun(run_refresh(raw, warehouse, work), warehouse, raw, work)


def run_refresh(raw_dir: Path, warehouse: Path, work_dir: Path) -> dg.ExecuteInProcessResult:
    """Materialize every asset with OGI_RAW_DIR/OGI_WAREHOUSE/OGI_WORK_DIR pointing at the given paths."""
    from orchestration.definitions import defs

    saved = {k: os.environ.get(k) for k in ("OGI_RAW_DIR", "OGI_WAREHOUSE", "OGI_WORK_DIR")}
    os.environ.update(OGI_RAW_DIR=str(raw_dir), OGI_WAREHOUSE=str(warehouse), OGI_WORK_DIR=str(work_dir))
    try:
        job = defs.resolve_job_def("refresh_warehouse")
        with dg.DagsterInstance.ephemeral() as instance:
            return job.execute_in_process(instance=instance, raise_on_error=False)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PipelineRun]:
    """The project's own raw/ samples, built once for the integration tests (raw/ is only read)."""
    root = tmp_path_factory.mktemp("sample")
    warehouse, work = root / "out" / "ogi.duckdb", root / "work"
    result = run_refresh(RAW_DIR, warehouse, work)
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    yield PipelineRun(result, warehouse, RAW_DIR, work)
