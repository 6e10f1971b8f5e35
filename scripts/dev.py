"""`make dev`: the Dagster UI, stopped whole by Ctrl-C, SIGTERM or a closed terminal.

`dagster dev` started straight from make survives a plain `kill <pid>`: its webserver, daemon, code servers
and a running `dbt build` were still alive 10 s later, holding the refresh lock and the build file. Here it
runs as the head of its own process group; any of those signals stops the whole tree (SIGINT first so a
running refresh is marked canceled, then SIGTERM and SIGKILL for what is left). The published file is never
touched by a stop: publishing replaces it in one rename at the very end of a run.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
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


def asset_group_names() -> list[str]:
    """The asset groups of the code location (loads the definitions: a few seconds)."""
    from orchestration.definitions import defs

    return sorted({spec.group_name for spec in defs.resolve_all_asset_specs() if spec.group_name})


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
    try:
        print(f"  the assets and their lineage: {lineage_url(url, asset_group_names())}", flush=True)
    except Exception as error:  # the UI still starts and shows why the code location failed
        print(f"  the assets and their lineage: {url}/asset-groups (groups not read: {error})", flush=True)
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
