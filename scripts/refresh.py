"""`make run`: one run of the Dagster job refresh_warehouse, with its full log in a file and a short screen.

The job runs as Dagster's CLI runs it (`dagster job execute -m orchestration.definitions`, the persistent
instance in DAGSTER_HOME), so the benchmark and the UI see the same run. Its ~1,000 lines of events and dbt
output go to ``<OGI_WORK_DIR>/logs/``; the terminal gets the stages, the progress of long ones, warnings and
errors, and a closing summary read from the published file. Ctrl-C, SIGTERM or SIGHUP stop the run and every
process it started (`process_tree.stop_tree`).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from orchestration.settings import load_settings
from orchestration.warehouse.process_tree import stop_tree
from orchestration.warehouse.run_summary import STAGES, published_summary

EVENT = re.compile(
    r" - dagster - (?P<level>\w+) - refresh_warehouse - (?P<run>[0-9a-f-]{36}) - (?:\d+ - )?(?P<rest>.*)"
)
STEP = re.compile(
    r"(?P<step>\S+) - (?P<kind>STEP_START|STEP_SUCCESS|STEP_FAILURE) - .*?(?:in (?P<took>\d[\dhms.]*?))?\.?$"
)
CAUSE = re.compile(
    r"^\s*(?:[\w.]+\.)?(?P<kind>(?:[A-Z]\w* )?\w*(?:Error|Exception|Failure|Interrupt)): (?P<message>.+)"
)
NOT_EXECUTED = ("Dependencies for step", "Execution of run for")  # follow from the failed step, said once
DBT_NODE = re.compile(r"^(?P<done>\d+) of (?P<total>\d+) (?P<state>OK|PASS|WARN|ERROR|FAIL|SKIP)\b")
QUIET_INFO = (
    "A dbt subsetted execution",
    "Running dbt command",
    "Finished dbt command",
    "op 'ogi_dbt_models' did not yield or return expected outputs",  # the seeds an incremental build leaves out
)
QUIET_WARNINGS = ("Logging an `AssetObservation` instead of an `AssetCheckResult`",)  # dagster-dbt, per singular test
SHORT_STEPS = ("region_reference", "review_verdicts", "static_report")  # no start line: they take a second


class Screen:
    """Turns the run's log lines into the few the user reads."""

    def __init__(self) -> None:
        self.run_id: str | None = None
        self.dbt_quarter = 0
        self.causes: list[str] = []
        self.shown: set[str] = set()

    def line(self, text: str) -> str | None:
        event = EVENT.search(text)
        if event:
            self.run_id = self.run_id or event["run"]
            return self._event(event["level"], event["rest"])
        node = DBT_NODE.match(text)
        if node:
            done, total = int(node["done"]), int(node["total"])
            if node["state"] in ("WARN", "ERROR", "FAIL"):
                shown = f"  dbt {text.strip()}"
                if shown in self.shown:  # dbt repeats failed nodes in its closing summary
                    return None
                self.shown.add(shown)
                return shown
            if done * 4 // total > self.dbt_quarter and done < total:
                self.dbt_quarter = done * 4 // total
                return f"  dbt: {done} of {total} models, seeds and tests done"
        cause = CAUSE.match(text)
        if cause and f"{cause['kind']}: {cause['message']}" not in self.causes:
            self.causes.append(f"{cause['kind']}: {cause['message'].strip()}")
            return f"  cause: {self.causes[-1][:300]}"
        return None

    def _event(self, level: str, rest: str) -> str | None:
        step = STEP.match(rest)
        if step:
            name = step["step"]
            stage = name.replace("_", " ") if name in SHORT_STEPS else STAGES.get(name, name)
            if step["kind"] == "STEP_START":
                return None if name in SHORT_STEPS else f"{_clock()} {stage} …"
            if step["kind"] == "STEP_SUCCESS":
                return f"{_clock()} {stage} done in {step['took'] or '?'}"
            return f"{_clock()} {stage} FAILED: {rest.split(' - ', 2)[-1][:300]}"
        if level in ("WARNING", "ERROR", "CRITICAL"):
            message = rest.split(" - ", 1)[-1]
            if message.startswith(QUIET_WARNINGS) or message.startswith(NOT_EXECUTED):
                return None
            return f"  {level.lower()}: {message[:300]}"
        if level == "INFO" and " - " in rest:
            message = rest.split(" - ", 1)[1]
            if not message.startswith(QUIET_INFO):
                return f"  {message[:300]}"
        return None


def _clock() -> str:
    return datetime.now().strftime("%H:%M:%S")


def main() -> int:
    """Run the job, echo what matters, summarise; the exit code is the job's."""
    settings = load_settings()
    logs = settings.work_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"refresh-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.log"
    bin_dir = Path(sys.executable).parent
    command = [str(bin_dir / "dagster"), "job", "execute", "-m", "orchestration.definitions", "-j", "refresh_warehouse"]
    print(f"refresh {settings.raw_dir} -> {settings.warehouse_path} (full log: {log_path})", flush=True)
    started = time.monotonic()
    screen = Screen()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log_path.open("w", encoding="utf-8") as log:
        child = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True
        )
        stopping: list[threading.Thread] = []
        received: list[int] = []

        def stop(signum: int, _frame: object) -> None:
            # the stop runs beside the loop below, which keeps draining the log so no child blocks writing it
            received.append(signum)
            if not stopping:
                notice = f"{_clock()} {signal.Signals(signum).name} received, stopping the run …\n"
                os.write(sys.stdout.fileno(), notice.encode())  # print() is not safe inside a signal handler
                stopping.append(threading.Thread(target=lambda: print(f"  {stop_tree(child)}", flush=True)))
                stopping[0].start()

        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, stop)
        assert child.stdout is not None
        for text in child.stdout:
            log.write(text)
            shown = screen.line(text)
            if shown:
                print(shown, flush=True)
        code = child.wait()
        for thread in stopping:
            thread.join()
    latest = logs / "latest.log"
    latest.unlink(missing_ok=True)
    latest.symlink_to(log_path.name)
    minutes, seconds = divmod(time.monotonic() - started, 60)
    if received:
        print(f"refresh stopped by {signal.Signals(received[0]).name} after {int(minutes)} min {seconds:.0f} s")
        print(f"the published warehouse was left as it was; full log: {log_path}")
        return 128 + received[0]
    if code != 0:
        print(f"refresh FAILED (exit {code}) after {int(minutes)} min {seconds:.0f} s", flush=True)
        print(f"the published warehouse was left as it was; full log: {log_path}")
        return code
    print(f"refresh done in {int(minutes)} min {seconds:.0f} s (run {screen.run_id})")
    for text in published_summary(settings.warehouse_path, screen.run_id):
        print(f"  {text}")
    print(f"  full log: {log_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
