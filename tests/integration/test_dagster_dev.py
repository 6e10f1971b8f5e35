"""`dagster dev` boots headless and its GraphQL API shows the assets, groups, checks, schedule and sensor."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gold import ROOT

QUERY = """
{
  assetNodes { assetKey { path } groupName description
               assetChecksOrError { ... on AssetChecks { checks { name } } } }
  repositoriesOrError { ... on RepositoryConnection { nodes { name schedules { name } sensors { name } } } }
}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, body: bytes | None = None) -> dict:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def dagster_dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("dev")
    (root / "raw").mkdir()
    (root / "home").mkdir()
    (root / "home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    port = _free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(root / "home"),
        "OGI_RAW_DIR": str(root / "raw"),
        "OGI_WAREHOUSE": str(root / "out" / "ogi.duckdb"),
        "OGI_WORK_DIR": str(root / "work"),
    }
    dagster = Path(sys.executable).with_name("dagster")
    log = (root / "dagster_dev.log").open("wb")
    process = subprocess.Popen(
        [str(dagster), "dev", "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                _get(f"{url}/server_info")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((root / "dagster_dev.log").read_text(errors="replace")[-3000:]) from None
                time.sleep(1)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def _graphql(url: str) -> dict:
    deadline = time.monotonic() + 60
    while True:
        data = _get(f"{url}/graphql", json.dumps({"query": QUERY}).encode())["data"]
        if data["assetNodes"] or time.monotonic() > deadline:  # the code location may still be loading
            return data
        time.sleep(1)


@pytest.mark.slow
def test_dagster_dev_serves_every_asset_in_groups_with_checks_schedule_and_sensor(dagster_dev: str) -> None:
    data = _graphql(dagster_dev)
    nodes = {"/".join(n["assetKey"]["path"]): n for n in data["assetNodes"]}
    for key, group in {
        "landed_report_files": "landing",
        "parsed/table_cells": "parsing",
        "marts/fct_outcomes": "marts",
        "quality/identity_checks": "quality",
        "published_warehouse": "publish",
    }.items():
        assert nodes[key]["groupName"] == group
        assert nodes[key]["description"]
    checks = {c["name"] for c in nodes["quality/identity_checks"]["assetChecksOrError"]["checks"]}
    assert {
        "gx_balance",
        "gx_outcome_sum",
        "gx_applicant_sum",
        "gx_review_sum",
        "gx_litigation_sum",
    } <= checks
    (repository,) = data["repositoriesOrError"]["nodes"]
    assert [s["name"] for s in repository["schedules"]] == ["daily_refresh"]
    assert [s["name"] for s in repository["sensors"]] == ["raw_dir_changed"]
