"""The seed check_codes must say truly which checks compare reports with each other.

An incremental build of quality.identity_checks rebuilds the rows of cross-report checks whole and the other
rows report by report, by the seed's ``basis``; a code declared with the wrong basis would leave stale rows.
The dbt test ``check_codes_match_their_models`` guards it; here it runs on a copy of a real build database,
as built and with one code's basis changed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb

from tests.integration.conftest import PipelineRun, run_dbt


def _run_guard(build_db: Path, target: Path) -> subprocess.CompletedProcess:
    return run_dbt(build_db, target, "test", "--select", "check_codes_match_their_models")


def test_the_seed_matches_the_check_models_of_a_real_build(sample_run: PipelineRun, tmp_path: Path) -> None:
    build = tmp_path / "build.duckdb"
    shutil.copyfile(sample_run.work_dir / "build.duckdb", build)
    with duckdb.connect(str(build), read_only=True) as conn:
        written = conn.execute(
            "select count(distinct check_code) from intermediate.int_checks_template_identities"
        ).fetchone()[0]
    assert written >= 3  # balance, outcome_sum, applicant_sum at least: the guard has rows to look at
    done = _run_guard(build, tmp_path / "target")
    assert done.returncode == 0, done.stdout[-2000:]


def test_a_code_declared_with_the_wrong_basis_fails_the_guard(sample_run: PipelineRun, tmp_path: Path) -> None:
    build = tmp_path / "build.duckdb"
    shutil.copyfile(sample_run.work_dir / "build.duckdb", build)
    with duckdb.connect(str(build)) as conn:
        conn.execute("update reference.check_codes set basis = 'cross_report' where check_code = 'balance'")
    done = _run_guard(build, tmp_path / "target")
    assert done.returncode != 0
    assert "check_codes_match_their_models" in done.stdout and "FAIL" in done.stdout
