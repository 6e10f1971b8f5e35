"""The main job the way users run it: `make run` in a subprocess, through the spawned parse pool.

Runs under 400 reports never reach the pool, so `OGI_PARSE_POOL_MIN_REPORTS` lowers its threshold here: the
pool itself (spawned processes that import the project) runs with two workers. Also: every way the project is
started imports the one installed `orchestration` package, whatever the working directory.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.warehouse.landing import raw_dir_fingerprint
from tests import gold
from tests.gold import RAW_DIR, ROOT
from tests.integration.conftest import PipelineRun

PACKAGE_INIT = str(ROOT / "orchestration" / "__init__.py")


def _published_rows(warehouse: Path) -> dict[str, list[tuple]]:
    """Every marts table of a published file, timestamps left out (they differ between two builds)."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        tables = [
            t for (t,) in conn.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()
        ]
        rows = {}
        for table in sorted(tables):
            columns = [
                name
                for name, kind in conn.execute(
                    "select column_name, data_type from duckdb_columns() "
                    "where schema_name = 'marts' and table_name = ?",
                    [table],
                ).fetchall()
                if not kind.startswith("TIMESTAMP")
            ]
            rows[table] = conn.execute(f"select {', '.join(columns)} from marts.{table} order by all").fetchall()
    return rows


@pytest.fixture(scope="module")
def make_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    root = tmp_path_factory.mktemp("make_run")
    warehouse = root / "out" / "ogi.duckdb"
    env = {
        **os.environ,
        "OGI_RAW_DIR": str(RAW_DIR),
        "OGI_WAREHOUSE": str(warehouse),
        "OGI_WORK_DIR": str(root / "work"),
        "DAGSTER_HOME": str(root / "dagster_home"),
        "OGI_PARSE_WORKERS": "2",
        "OGI_PARSE_POOL_MIN_REPORTS": "2",
    }
    done = subprocess.run(["make", "-s", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    return done, warehouse


@pytest.mark.slow
def test_make_run_parses_in_the_spawned_pool_and_publishes_the_gold_figures(
    make_run: tuple[subprocess.CompletedProcess, Path], sample_run: PipelineRun
) -> None:
    done, warehouse = make_run
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    # the screen: stages, a closing summary and where the full log is; the log holds every event
    screen = done.stdout.splitlines()
    log = Path(re.search(r"full log: ([^\s)]+)", done.stdout)[1])
    output = log.read_text(encoding="utf-8") + done.stderr
    assert len(screen) < 40, done.stdout
    assert "refresh done in" in done.stdout
    assert "files: 24 (19 parsed, 5 partial, 0 rejected)" in done.stdout
    assert f"published: {warehouse}" in done.stdout
    assert "STEP_SUCCESS" in output and "STEP_SUCCESS" not in done.stdout
    assert "ModuleNotFoundError" not in output and "BrokenProcessPool" not in output
    assert "parsed now in 2 processes" in done.stdout, "the parse step did not use the process pool"
    # what the published build landed, for the sensor: `make dev` right after does not rebuild the same folder
    published = (warehouse.parents[1] / "work" / "raw_dir.published").read_text(encoding="utf-8")
    assert published == raw_dir_fingerprint(RAW_DIR)
    # the pool's build publishes what the in-process build publishes, table by table
    assert _published_rows(warehouse) == _published_rows(sample_run.warehouse)
    # and those are the printed figures of a real report
    report = next(r for r in gold.all_gold() if r.name == "real/013_pingtan_zone_2019.txt")
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        cells = {
            (row, column): value
            for row, column, value in conn.execute(
                "select c.row_code, c.column_code, c.value from marts.report_table_cells c "
                "join marts.dim_report r using (report_id) where r.source_path = ? and c.table_code = 'table3'",
                [gold.source_path(report)],
            ).fetchall()
        }
    expected = gold.table3_cells(report)
    assert expected, "gold has table 三 cells"
    assert {key: cells.get(key) for key in expected} == expected


def _origin(command: list[str], cwd: Path) -> str:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


SPAWNED = """
import multiprocessing, sys
def origin():
    import orchestration.parsing.report as report, orchestration
    return orchestration.__file__
if __name__ == "__main__":
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        print(pool.apply(origin))
"""


def test_every_entry_imports_the_installed_package_from_any_folder(tmp_path: Path) -> None:
    python = Path(sys.executable)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # pytest itself
    import orchestration

    assert orchestration.__file__ == PACKAGE_INIT
    # plain python (make corpus, scripts/), from a folder that is not the repository
    plain = [str(python), "-c", "import orchestration; print(orchestration.__file__)"]
    assert _origin(plain, elsewhere) == PACKAGE_INIT
    # a spawned worker, as the parse pool starts them
    (elsewhere / "spawned.py").write_text(SPAWNED)
    assert _origin([str(python), str(elsewhere / "spawned.py")], elsewhere) == PACKAGE_INIT
    # the benchmark run as a script (sys.path[0] is bench/, not the repository)
    script = [str(python), str(ROOT / "bench" / "run.py"), "--origin"]
    assert _origin(script, elsewhere) == PACKAGE_INIT
    # the Dagster CLI loads the code location as `make run` and `make dev` do (`-m orchestration.definitions`)
    dagster = python.with_name("dagster")
    (tmp_path / "home").mkdir()
    validated = subprocess.run(
        [str(dagster), "definitions", "validate", "-m", "orchestration.definitions"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "DAGSTER_HOME": str(tmp_path / "home")},
    )
    assert validated.returncode == 0, validated.stderr[-3000:]


@pytest.mark.slow
def test_a_failed_make_run_says_so_names_the_cause_and_keeps_the_published_file(tmp_path: Path) -> None:
    warehouse = tmp_path / "out" / "ogi.duckdb"
    warehouse.parent.mkdir()
    warehouse.write_bytes(b"the previous build")
    env = {
        **os.environ,
        "OGI_RAW_DIR": str(tmp_path / "no such folder"),
        "OGI_WAREHOUSE": str(warehouse),
        "OGI_WORK_DIR": str(tmp_path / "work"),
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
    }
    done = subprocess.run(["make", "-s", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode != 0
    assert "landing FAILED" in done.stdout and "is not a folder" in done.stdout, done.stdout
    assert "refresh FAILED" in done.stdout and "the published warehouse was left as it was" in done.stdout
    assert warehouse.read_bytes() == b"the previous build"
