"""stop_tree ends a whole tree: children that exit on SIGINT, one that ignores it, one that ignores SIGTERM too."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

import psutil

from orchestration.warehouse.process_tree import stop_tree

STUBBORN = textwrap.dedent(
    """
    import signal, subprocess, sys, time
    ignore = sys.argv[1:]
    for name in ignore:
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    if "SIGTERM" not in ignore:  # the middle process starts one that ignores SIGINT and SIGTERM
        subprocess.Popen([sys.executable, __file__, "SIGINT", "SIGTERM"])
    print("ready", flush=True)
    while True:
        time.sleep(0.1)
    """
)


def _start(tmp_path, *ignored: str) -> tuple[subprocess.Popen, list[psutil.Process]]:
    script = tmp_path / "stubborn.py"
    script.write_text(STUBBORN)
    child = subprocess.Popen([sys.executable, str(script), *ignored], start_new_session=True, stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdout.readline() == b"ready\n"
    deadline = time.monotonic() + 10
    while len(psutil.Process(child.pid).children(recursive=True)) < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    return child, [psutil.Process(child.pid), *psutil.Process(child.pid).children(recursive=True)]


def test_stop_tree_escalates_to_sigterm_and_sigkill_and_leaves_nothing(tmp_path) -> None:
    child, tree = _start(tmp_path, "SIGINT")
    assert len(tree) == 2
    started = time.monotonic()
    report = stop_tree(child)
    assert time.monotonic() - started < 10
    assert child.returncode is not None
    assert not [p for p in tree if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert report.processes == 2
    assert len(report.terminated) == 2  # both ignored SIGINT
    assert len(report.killed) == 1  # the grandchild ignored SIGTERM too
    assert "needed SIGKILL" in str(report)


def test_stop_tree_on_a_tree_that_obeys_sigint_sends_nothing_else(tmp_path) -> None:
    script = tmp_path / "obedient.py"
    script.write_text("import time\nprint('ready', flush=True)\nwhile True:\n    time.sleep(0.1)\n")
    child = subprocess.Popen([sys.executable, str(script)], start_new_session=True, stdout=subprocess.PIPE)
    assert child.stdout is not None and child.stdout.readline() == b"ready\n"
    report = stop_tree(child)
    assert child.returncode is not None
    assert (report.processes, report.terminated, report.killed) == (1, [], [])
    assert str(report) == "stopped 1 process"
