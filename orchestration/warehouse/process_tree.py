"""Stop a process and everything it started, whatever each child does with signals.

`make run` and `make dev` start Dagster in its own session so that one signal from the wrapper reaches the
whole tree, not only the process the user happened to kill. Dagster's webserver, daemon, code servers, run
workers, the parse pool and `dbt build` all shut down cleanly on SIGINT, but a child that ignores it (a
background job started by a non-interactive shell does) or that is stuck in a long DuckDB call would keep
the refresh lock and the build file. So the stop escalates: SIGINT to the process group, then SIGTERM, then
SIGKILL to every process of the tree still alive, including any that left the group.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field

import psutil

Child = subprocess.Popen[bytes] | subprocess.Popen[str]

INTERRUPT_SECONDS = 5.0
"""How long the tree gets to finish on SIGINT (Dagster marks the run canceled, dbt stops its threads)."""
TERMINATE_SECONDS = 2.0
"""How long what is left gets after SIGTERM before SIGKILL: the whole stop stays under 10 s."""


@dataclass
class StopReport:
    """What the stop took: how many processes there were and which ones needed SIGTERM or SIGKILL."""

    processes: int = 0
    terminated: list[str] = field(default_factory=list)
    killed: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        forced = [f"{len(self.terminated)} needed SIGTERM"] if self.terminated else []
        forced += [f"{len(self.killed)} needed SIGKILL"] if self.killed else []
        noun = "process" if self.processes == 1 else "processes"
        return f"stopped {self.processes} {noun}" + (f" ({', '.join(forced)})" if forced else "")


def _tree(root_pid: int, known: dict[int, psutil.Process]) -> dict[int, psutil.Process]:
    """Add the root and its descendants alive now to ``known`` (earlier ones stay, even if reparented)."""
    try:
        root = psutil.Process(root_pid)
        for process in [root, *root.children(recursive=True)]:
            known.setdefault(process.pid, process)
    except psutil.NoSuchProcess:
        pass
    return known


def _alive(known: dict[int, psutil.Process]) -> list[psutil.Process]:
    alive = []
    for process in known.values():
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except psutil.NoSuchProcess:
            continue
    return alive


def _describe(process: psutil.Process) -> str:
    try:
        return f"{process.pid} {' '.join(process.cmdline())[:120]}"
    except psutil.Error:
        return str(process.pid)


def _wait(root: Child, known: dict[int, psutil.Process], seconds: float) -> None:
    """Reap the root (it is our child) and wait until the tree is gone or ``seconds`` have passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        root.poll()
        _tree(root.pid, known)
        if not _alive(known):
            return
        time.sleep(0.1)


def stop_tree(root: Child) -> StopReport:
    """Stop ``root`` (started with ``start_new_session=True``) and all its descendants; return what it took.

    Args:
        root: the child this process started as the head of its own process group.

    Returns:
        How many processes were stopped and which needed SIGTERM or SIGKILL.
    """
    known = _tree(root.pid, {})
    report = StopReport()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(root.pid, signal.SIGINT)
    _wait(root, known, INTERRUPT_SECONDS)
    for escalation, names, seconds in (
        (signal.SIGTERM, report.terminated, TERMINATE_SECONDS),
        (signal.SIGKILL, report.killed, 1.0),
    ):
        left = _alive(known)
        for process in left:
            names.append(_describe(process))
            try:
                process.send_signal(escalation)
            except psutil.NoSuchProcess:
                continue
        if left:
            _wait(root, known, seconds)
    root.poll()
    report.processes = len(known)
    return report
