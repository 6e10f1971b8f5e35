"""What docs/connect.md tells a new user works: the CLI and Python read the warehouse during a refresh."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import polars as pl

from tests.cookbook import recipe
from tests.gold import RAW_DIR, ROOT
from tests.integration.conftest import PipelineRun


def _make(*args: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-s", *args], cwd=ROOT, env=env, capture_output=True, text=True, **kwargs)


def test_cli_and_python_run_a_cookbook_query_while_a_refresh_runs(sample_run: PipelineRun, tmp_path: Path) -> None:
    warehouse = tmp_path / "out" / "ogi.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(sample_run.warehouse, warehouse)
    sql = recipe("county_series")
    expected = sample_run.query(sql)
    env = {
        **os.environ,
        "OGI_RAW_DIR": str(RAW_DIR),
        "OGI_WAREHOUSE": str(warehouse),
        "OGI_WORK_DIR": str(tmp_path / "work"),  # empty: the refresh rebuilds everything, a long window
        "DAGSTER_HOME": str(tmp_path / "home"),
    }
    env.pop("MAKEFLAGS", None)
    env.pop("MAKELEVEL", None)
    log = tmp_path / "refresh.log"
    refresh = subprocess.Popen(
        ["make", "run"], cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )
    during = {"cli": 0, "python": 0}
    try:
        deadline = time.monotonic() + 300
        while refresh.poll() is None and time.monotonic() < deadline:
            started_alive = refresh.poll() is None
            # the CLI, as the README shows it (make sql SQL=...), in JSON mode to compare values
            done = _make("sql", f"SQL={sql}", env=env, timeout=60)
            assert done.returncode == 0, done.stderr
            cli = subprocess.run(
                [str(Path(sys.executable).with_name("duckdb")), "-readonly", "-json", str(warehouse), "-c", sql],
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            )
            rows = json.loads(cli.stdout)
            assert [r["new_received"] for r in rows] == [r[3] for r in expected]
            assert "154" in done.stdout  # 平潭 2025, in the CLI's own table output
            # Python with polars, as docs/connect.md shows it
            with duckdb.connect(str(warehouse), read_only=True) as con:
                frame = con.sql(sql).pl()
            assert isinstance(frame, pl.DataFrame)
            assert frame.rows() == expected
            if started_alive and refresh.poll() is None:
                during["cli"] += 1
                during["python"] += 1
            time.sleep(0.2)
        assert refresh.wait(timeout=300) == 0, log.read_text(errors="replace")[-3000:]
    finally:
        if refresh.poll() is None:
            os.killpg(refresh.pid, 9)
    assert during["cli"] > 0 and during["python"] > 0, "no query ran while the refresh was running"
    # and the refresh published a new build the readers did not block
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.sql(sql).fetchall() == expected
        (version,) = con.execute("select value from meta.build_info where key = 'duckdb_version'").fetchone()
    assert version == duckdb.__version__


def test_every_published_column_is_described_in_sql(sample_run: PipelineRun) -> None:
    undocumented = sample_run.query(
        "select schema_name || '.' || table_name || '.' || column_name from duckdb_columns() "
        "where schema_name in ('marts', 'quality', 'reference') and coalesce(comment, '') = ''"
    )
    assert undocumented == []
    (comment,) = sample_run.query(
        "select comment from duckdb_columns() where table_name = 'fct_outcomes' and column_name = 'outcome_code'"
    )[0]
    assert "unable_not_held" in comment and "本机关不掌握相关政府信息" in comment  # the code table, Chinese labels


def test_make_docs_writes_one_file_with_every_mart_described(sample_run: PipelineRun, tmp_path: Path) -> None:
    warehouse = tmp_path / "ogi.duckdb"
    shutil.copyfile(sample_run.warehouse, warehouse)
    env = {**os.environ, "OGI_WAREHOUSE": str(warehouse)}
    env.pop("MAKEFLAGS", None)
    env.pop("MAKELEVEL", None)
    done = _make("docs", env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "ogi.dbt-docs.html").read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    manifest, _ = decoder.raw_decode(page, page.index("manifest:") + len("manifest:"))
    catalog, _ = decoder.raw_decode(page, page.index("catalog:") + len("catalog:"))
    models = {n["name"]: n for n in manifest["nodes"].values() if n["resource_type"] == "model"}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        published = con.execute(
            "select table_name from duckdb_tables() where schema_name in ('marts', 'quality')"
        ).fetchall()
    for (table,) in published:
        node = models[table]
        assert node["description"], table
        assert all(c["description"] for c in node["columns"].values()), table
        # the catalog was read from the published file: every published table has its columns and types
        assert catalog["nodes"][node["unique_id"]]["columns"], table
    assert "予以公开 / （七）总计" in models["metrics_report"]["columns"]["grant_rate"]["description"]
