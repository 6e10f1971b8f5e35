"""`make dev`: the Dagster UI, stopped whole by Ctrl-C, SIGTERM or a closed terminal.

`dagster dev` started straight from make survives a plain `kill <pid>`: its webserver, daemon, code servers
and a running `dbt build` were still alive 10 s later, holding the refresh lock and the build file. Here it
runs as the head of its own process group; any of those signals stops the whole tree (SIGINT first so a
running refresh is marked canceled, then SIGTERM and SIGKILL for what is left). The published file is never
touched by a stop: publishing replaces it in one rename at the very end of a run.
"""

from __future__ import annotations

import argparse
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from types import FrameType
from urllib.parse import quote

from orchestration.warehouse.process_tree import stop_tree


def lineage_url(base_url: str, group_names: list[str]) -> str:
    """The global asset graph with every asset group open.

    Opened at ``/asset-groups`` alone, Dagster shows each group as one collapsed box (the UI collapses groups
    whenever there is more than one). The page keeps its open groups in the query parameter ``expanded``: a
    comma-separated list of group ids, ``global@global:<group>`` (Dagster 1.13's UI; tests/unit/test_dev_script.py
    checks the installed UI still reads them so).
    """
    expanded = ",".join(f"global@global:{name}" for name in sorted(group_names))
    return f"{base_url}/asset-groups?expanded={quote(expanded, safe='@:,')}"


def served_group_names(base_url: str, timeout: float = 180.0) -> list[str]:
    """The asset groups the started server holds, asked of its GraphQL API once it answers.

    Read from the server rather than by importing the definitions here: `dagster dev` loads them anyway, and a
    second load in this wrapper cost 5 s and ~250 MB held for the whole session.
    """
    body = json.dumps({"query": "{ assetNodes { groupName } }"}).encode()
    headers = {"Content-Type": "application/json"}
    deadline = time.monotonic() + timeout
    while True:
        try:
            request = urllib.request.Request(f"{base_url}/graphql", data=body, headers=headers)
            with urllib.request.urlopen(request, timeout=10) as response:
                nodes = json.loads(response.read())["data"]["assetNodes"]
            if nodes:  # none while the code location is still loading
                return sorted({node["groupName"] for node in nodes if node["groupName"]})
        except (OSError, KeyError, TypeError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"no asset groups from {base_url} within {timeout:.0f} s")
        time.sleep(1)


def _print_lineage_url(base_url: str) -> None:
    try:
        print(f"  the assets and their lineage: {lineage_url(base_url, served_group_names(base_url))}", flush=True)
    except TimeoutError as error:  # the UI still shows why the code location failed
        print(f"  the assets and their lineage: {base_url}/asset-groups (groups not read: {error})", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Start `dagster dev` on the code location; return its exit code, or 128 + the signal that stopped it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", default="3000")
    args = parser.parse_args(argv)
    dagster = Path(sys.executable).with_name("dagster")
    command = [str(dagster), "dev", "-m", "orchestration.definitions", "-h", args.host, "-p", str(args.port)]
    url = f"http://{args.host}:{args.port}"
    print(f"Dagster UI on {url} (Ctrl-C stops it and every run it started)", flush=True)
    child = subprocess.Popen(command, start_new_session=True)
    received: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    threading.Thread(target=_print_lineage_url, args=(url,), name="lineage-url", daemon=True).start()
    while child.poll() is None and not received:
        try:
            child.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            continue
    if not received:
        return child.returncode
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not cut the stop short
    print(f"make dev: {signal.Signals(received[0]).name} received, stopping Dagster …", flush=True)
    print(f"make dev: {stop_tree(child)}", flush=True)
    return 128 + received[0]


if __name__ == "__main__":
    sys.exit(main())
