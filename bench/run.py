"""Benchmark the main job the way users run it: `make run` on a synthetic corpus, then 100 reports more.

Each refresh is `make -s run` in a subprocess (the Dagster job ``refresh_warehouse`` with a persistent
instance in a temporary ``DAGSTER_HOME``); per-stage times are read from that run's step events, start-up
(make, Python, loading the code location) is the rest of the wall time. Peak memory is sampled from the
whole process tree (the run, its spawned parse workers, dbt): the largest single process and the tree's sum.
Also: a lower bound on the same files (read + decode + one regex pass over all digits), and the parser's
accuracy against the generator's expected values (a cell left NULL where a number was printed is a miss).

    .venv/bin/python -m bench.run 1000

``OGI_BENCH_CORPUS`` names a corpus of exactly N reports written earlier by ``make corpus`` to reuse (linked,
not copied); otherwise the corpus is generated into the temporary folder (generation is not a timed stage).
``OGI_BENCH_KEEP`` names a folder where the built N-report state (build folder, warehouse, Dagster home, raw
folder as hard links) is copied before the 100 reports are added, to study the incremental refresh again.
``OGI_BENCH_DIR`` builds in that folder instead of a temporary one (for corpora too big for /tmp).
``OGI_BENCH_SCORE=0`` skips the accuracy comparison and the development set (the scale run of 1,000,000
reports: its comparison alone would take longer than the build).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

import orchestration
from bench.devset import Score, parsed_cells_in_warehouse, score
from bench.documents import document_speeds
from bench.synthetic.corpus import generate
from orchestration.parsing.decode import decode_report_bytes
from orchestration.settings import duckdb_config
from orchestration.warehouse.run_summary import STAGES

ROOT = Path(orchestration.__file__).resolve().parents[1]
DEVSET = ROOT.parent / "shared" / "corpus" / "devset"
DIGITS = re.compile(r"\d+")
PAGE = os.sysconf("SC_PAGE_SIZE")


def _read_once(raw: Path) -> int:
    """Read every file once, untimed, when the corpus fits in the page cache; return the corpus bytes.

    The lower bound and landing then both read from the page cache: whether the files were just written or
    read by an earlier run no longer moves them (the bound was 16-30 s at 100,000 reports between runs). A
    corpus larger than half the available memory (1,000,000 reports are 20 GB) would be evicted again before
    landing reads it, so it is not pre-read: both the bound and the run then read from disk.
    """
    paths = [path for path in raw.rglob("*") if path.is_file()]
    size = sum(path.stat().st_size for path in paths)
    if size < _available_memory() / 2:
        for path in paths:
            path.read_bytes()
    return size


def _available_memory() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024
    return 0


def _lower_bound(raw: Path) -> tuple[float, int]:
    start = time.perf_counter()
    numbers = 0
    for path in raw.rglob("*"):
        if path.is_file() and path.suffix in (".txt", ".html"):
            text = decode_report_bytes(path.read_bytes(), path.suffix).text or ""
            numbers += len(DIGITS.findall(text))
    return time.perf_counter() - start, numbers


def _process_name(pid: int) -> str:
    """A short name for a process of the tree: the module or script it runs ("dbt", "dagster", "spawn" …)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            words = [w.decode(errors="replace") for w in handle.read().split(b"\0") if w]
    except OSError:
        return "?"
    named = [Path(w).name for w in words[1:4] if not w.startswith("-")] or [Path(words[0]).name if words else "?"]
    if any("multiprocessing" in w for w in words):
        return "parse worker" if "spawn_main" in " ".join(words) else "multiprocessing helper"
    return " ".join(named)[:40]


def _tree_members(root_pid: int) -> dict[int, int]:
    """Resident bytes of ``root_pid`` and each of its descendants, read from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        rss[int(entry.name)] = int(fields[21]) * PAGE
    members, frontier = {root_pid}, [root_pid]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in members:
                members.add(pid)
                frontier.append(pid)
    return {pid: rss.get(pid, 0) for pid in members}


def _tree_rss(root_pid: int) -> tuple[int, int]:
    """(sum, largest) resident bytes of ``root_pid`` and all its descendants."""
    sizes = list(_tree_members(root_pid).values())
    return sum(sizes), max(sizes, default=0)


@dataclass
class JobRun:
    """One `make run`: wall time, the run's step times, start-up, peak memory, its log."""

    wall: float
    steps: dict[str, float]
    run_seconds: float
    peak_tree_mb: float = 0.0
    peak_process_mb: float = 0.0
    log: Path | None = None
    stages: dict[str, float] = field(default_factory=dict)
    stage_peaks_mb: dict[str, float] = field(default_factory=dict)
    """The process tree's peak resident memory while each stage ran."""
    stage_splits: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    """Each stage's processes (over 50 MB) and their resident MB at the stage's peak."""
    at_peak: list[tuple[str, float]] = field(default_factory=list)
    """The processes of the tree (over 50 MB) and their resident MB when the tree peaked."""

    @property
    def startup(self) -> float:
        """make, Python, loading the definitions, and shutting down: the wall time outside the run."""
        return self.wall - self.run_seconds


def _run_steps(dagster_home: Path) -> tuple[dict[str, tuple[float, float]], float]:
    """(start, end) of each step and the run's own duration of the newest run in ``dagster_home``."""
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        (run,) = instance.get_runs(limit=1)
        if run.status != dg.DagsterRunStatus.SUCCESS:
            raise SystemExit(f"run {run.run_id} ended {run.status.value}")
        starts: dict[str, float] = {}
        steps: dict[str, tuple[float, float]] = {}
        run_start = run_end = None
        kinds = dg.DagsterEventType
        for record in instance.all_logs(run.run_id):
            event = record.dagster_event
            if event is None:
                continue
            kind = event.event_type
            if kind == kinds.RUN_START:
                run_start = record.timestamp
            elif kind in (kinds.RUN_SUCCESS, kinds.RUN_FAILURE):
                run_end = record.timestamp
            elif kind == kinds.STEP_START:
                starts[event.step_key] = record.timestamp
            elif kind in (kinds.STEP_SUCCESS, kinds.STEP_FAILURE) and event.step_key in starts:
                steps[event.step_key] = (starts[event.step_key], record.timestamp)
    return steps, (run_end or 0.0) - (run_start or 0.0)


def _make_run(env: dict[str, str], log: Path) -> JobRun:
    """`make -s run` as a user types it, with memory sampled from its process tree every 0.2 s."""
    peak = [0, 0]
    at_peak: list[tuple[str, int]] = []
    samples: list[tuple[float, int, list[tuple[str, int]]]] = []
    with log.open("wb") as handle:
        start = time.perf_counter()
        process = subprocess.Popen(["make", "-s", "run"], cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)

        def sample() -> None:
            while process.poll() is None:
                members = _tree_members(process.pid)
                total, largest = sum(members.values()), max(members.values(), default=0)
                # what the tree holds, by process (processes over 50 MB)
                split = sorted(
                    ((_process_name(pid), size) for pid, size in members.items() if size > 50e6),
                    key=lambda item: -item[1],
                )
                if total > peak[0]:
                    at_peak[:] = split
                peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)
                samples.append((time.time(), total, split))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        wall = time.perf_counter() - start
        sampler.join()
    if code != 0:
        tail = log.read_text(errors="replace")[-4000:]
        raise SystemExit(f"make run failed with exit code {code}; log {log}:\n{tail}")
    spans, run_seconds = _run_steps(Path(env["DAGSTER_HOME"]))
    stages: dict[str, float] = {}
    peaks: dict[str, float] = {}
    splits: dict[str, list[tuple[str, float]]] = {}
    for step, (began, ended) in spans.items():
        stage = STAGES.get(step, step)
        stages[stage] = stages.get(stage, 0.0) + ended - began
        during = [(total, split) for at, total, split in samples if began <= at <= ended]
        if during and max(during)[0] / 1e6 > peaks.get(stage, 0.0):
            peaks[stage] = max(during)[0] / 1e6
            splits[stage] = [(name, size / 1e6) for name, size in max(during)[1]]
    steps = {step: ended - began for step, (began, ended) in spans.items()}
    run = JobRun(wall, steps, run_seconds, peak[0] / 1e6, peak[1] / 1e6, log, stages, peaks)
    run.at_peak = [(name, size / 1e6) for name, size in at_peak]
    run.stage_splits = splits
    return run


def _stage_table(run: JobRun, reports: int) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "stage": stage,
                "seconds": round(seconds, 2),
                "reports_per_s": round(reports / seconds, 1),
                "peak_tree_mb": round(run.stage_peaks_mb.get(stage, 0.0)),
            }
            for stage, seconds in run.stages.items()
        ]
    )


def _accuracy(build: Path, raw: Path, chunk: int = 1000) -> tuple[Score, dict[str, int]]:
    """Compare parsed table 三/四 cells with the generator's expected values, ``chunk`` reports at a time.

    A cell read as NULL where a number was printed is a miss, a number where another (or none) was printed is
    wrong. Both sides are streamed (expected.jsonl line by line, the cells of one chunk of files per query),
    so the comparison's memory does not grow with the corpus. Also: prose figures of the prose-era reports.
    """
    result = Score()
    prose = {"figures": 0, "exact": 0}
    with (
        (raw / "expected.jsonl").open(encoding="utf-8") as handle,
        duckdb.connect(str(build), read_only=True, config=duckdb_config()) as conn,
    ):
        while True:
            items = [json.loads(line) for _, line in zip(range(chunk), handle, strict=False)]
            if not items:
                break
            cells = conn.execute(
                "select l.source_path, c.table_code, c.row_code, c.column_code, c.value "
                "from parsed.table_cells c join raw.landed_files l using (report_id) "
                "where c.table_code in ('table3', 'table4') and l.source_path in (select unnest(?))",
                [[item["file"] for item in items]],
            ).fetchall()
            got = {(r[0], r[1], r[2], r[3]): r[4] for r in cells}
            stated: dict[tuple[str, str], set] = {}
            for path, name, value in conn.execute(
                "select l.source_path, f.field, f.value from parsed.prose_figures f "
                "join raw.landed_files l using (report_id) where l.source_path in (select unnest(?))",
                [[item["file"] for item in items if item.get("prose")]],
            ).fetchall():
                stated.setdefault((path, name), set()).add(value)
            for item in items:
                for name, value in (item.get("prose") or {}).items():
                    prose["figures"] += 1
                    prose["exact"] += stated.get((item["file"], name)) == {float(value)}
                truth = {("table3", *k.split("|")): v for k, v in item["table3"].items()}
                truth |= {("table4", "reviews_and_litigation", k): v for k, v in item["table4"].items()}
                groups = ["all", f"rendering {item.get('style')}", f"template {item.get('template_version')}"]
                for (table, row, column), value in truth.items():
                    printed = None if value is None else float(value)
                    parsed = got.get((item["file"], table, row, column))
                    if parsed == printed:
                        outcome = "exact"
                    elif parsed is None:
                        outcome = "missed"
                    else:
                        outcome = "wrong"
                    for group in [*groups, f"table {table}"] + (["non-zero"] if printed else []):
                        result.groups[group][outcome] += 1
    return result, prose


def _devset(root: Path, env: dict[str, str]) -> dict[str, Score]:
    """The development set's table folders through `make run`, scored from the published warehouses."""
    scores = {}
    for folder in ("tables", "mixed"):
        source = DEVSET / folder
        if not source.is_dir():
            continue
        out = root / f"devset_{folder}"
        run_env = {
            **env,
            "OGI_RAW_DIR": str(source),
            "OGI_WORK_DIR": str(out / "work"),
            "OGI_WAREHOUSE": str(out / "ogi.duckdb"),
            "DAGSTER_HOME": str(out / "dagster_home"),
        }
        _make_run(run_env, root / f"devset_{folder}_run.log")
        scores[folder] = score(source, parsed_cells_in_warehouse(out / "ogi.duckdb"))
    return scores


def _side_by_side(generated: Score, devset: dict[str, Score]) -> pl.DataFrame:
    """Exact share per group: the project's generator beside each development-set folder."""
    groups = sorted(
        set(generated.groups).union(*(s.groups for s in devset.values())),
        key=lambda g: (g != "all", g != "non-zero", g),
    )
    rows = []
    for group in groups:
        row = {"group": group}
        for name, result in [("generator", generated), *devset.items()]:
            counts = result.groups.get(group)
            cells = sum(counts.values()) if counts else 0
            row[f"{name} cells"] = cells
            row[f"{name} exact %"] = round(result.exact_share(group), 2) if cells else None
            row[f"{name} wrong"] = counts["wrong"] if counts else None
        rows.append(row)
    return pl.DataFrame(rows)


def _corpus_size(corpus: Path) -> int:
    expected = corpus / "expected.jsonl"
    if not expected.is_file():
        return -1
    with expected.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle)


def _keep(keep: Path, root: Path) -> None:
    keep.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-al", str(root / "raw"), str(keep / "raw")], check=True)
    for name in ("work", "out", "dagster_home"):
        subprocess.run(["cp", "-a", str(root / name), str(keep / name)], check=True)


def _bench(root: Path, count: int) -> None:
    raw, work, out, home = root / "raw", root / "work", root / "out", root / "dagster_home"
    start = time.perf_counter()
    reused = os.environ.get("OGI_BENCH_CORPUS")
    if reused and _corpus_size(Path(reused)) == count:
        # a corpus written by `make corpus N=...` earlier: hard links, so the files are the same bytes
        subprocess.run(["cp", "-al", reused, str(raw)], check=True)
    else:
        for _ in generate(raw, count):
            pass
    generated = time.perf_counter() - start
    size = _read_once(raw)
    lower, numbers = _lower_bound(raw)
    env = {
        **os.environ,
        "OGI_RAW_DIR": str(raw),
        "OGI_WORK_DIR": str(work),
        "OGI_WAREHOUSE": str(out / "ogi.duckdb"),
        "DAGSTER_HOME": str(home),
    }
    first = _make_run(env, root / "first_run.log")
    sizes = {
        "build_db_mb": round((work / "build.duckdb").stat().st_size / 1e6),
        "warehouse_mb": round((out / "ogi.duckdb").stat().st_size / 1e6),
    }
    print(
        f"machine: {os.cpu_count()} cores; corpus: {count} reports, {size / 1e6:.1f} MB, generated in {generated:.1f} s"
    )
    print(f"make run on {count} new reports: wall {first.wall:.1f} s = run {first.run_seconds:.1f} s")
    print(f"  + start-up and shut-down {first.startup:.1f} s (make, Python, loading the code location)")
    print(_stage_table(first, count))
    print(
        f"peak memory: largest process {first.peak_process_mb:.0f} MB, whole process tree {first.peak_tree_mb:.0f} MB"
        f" (then: {', '.join(f'{name} {size:.0f}' for name, size in first.at_peak)})"
    )
    for stage, split in first.stage_splits.items():
        print(f"  at the {stage} peak: {', '.join(f'{name} {size:.0f}' for name, size in split)}")
    print("")
    print(
        f"lower bound (read + decode + digit regex): {lower:.2f} s, {count / lower:.0f} reports/s "
        f"({numbers} numbers); parse / lower bound = {first.stages['parsing'] / lower:.1f}x"
    )
    print(f"file sizes after the first build: {sizes}", flush=True)
    print("document extraction per format (PDF, Word, Excel fixtures of real reports; before parsing):")
    print(document_speeds(), flush=True)
    scored = os.environ.get("OGI_BENCH_SCORE", "1") != "0"
    if scored:
        accuracy, prose = _accuracy(work / "build.duckdb", raw)
    keep = os.environ.get("OGI_BENCH_KEEP")
    if keep:
        _keep(Path(keep), root)
    extra = raw / "added"
    for _ in generate(extra, 100, seed=7):
        pass
    (extra / "expected.jsonl").unlink()
    _read_once(extra)
    second = _make_run(env, root / "second_run.log")
    print(
        f"make run adding 100 reports: run {second.run_seconds:.1f} s of pipeline work "
        f"+ {second.startup:.1f} s start-up (wall {second.wall:.1f} s); peak tree {second.peak_tree_mb:.0f} MB"
    )
    print(_stage_table(second, 100), flush=True)
    if not scored:
        return
    devset = _devset(root, env)
    print("table cells read exactly (a NULL where a number was printed is a miss), generator beside devset:")
    with pl.Config(tbl_rows=60, tbl_cols=20, tbl_width_chars=220):
        print(_side_by_side(accuracy, devset))
    print(f"prose figures of the generator's prose-era reports: {prose['exact']} of {prose['figures']} exact")


def main() -> None:
    """Generate N reports, build them with `make run`, add 100, build again, and print the numbers."""
    if sys.argv[1:] == ["--origin"]:
        print(orchestration.__file__)  # where this script's project code comes from (tests check it)
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    base = os.environ.get("OGI_BENCH_DIR")
    if base:
        Path(base).mkdir(parents=True, exist_ok=True)
    keep_logs = Path(base or tempfile.gettempdir()) / "ogi-bench-logs"
    with tempfile.TemporaryDirectory(prefix="ogi-bench-", dir=base) as tmp:
        _bench(Path(tmp), count)
        keep_logs.mkdir(exist_ok=True)
        for log in Path(tmp).glob("*_run.log"):
            log.replace(keep_logs / log.name)
        print(f"run logs kept in {keep_logs}")


if __name__ == "__main__":
    main()
