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

from orchestration.warehouse.process_tree import stop_tree


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
    lineage = f"{url}/asset-groups"
    print(f"  the assets and their lineage: {lineage} (groups open collapsed: Alt+E expands them all)", flush=True)
    child = subprocess.Popen(command, start_new_session=True)
    received: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
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
