"""Fault injection: bad files, removed files, killed runs, concurrent readers and writers, clear failures.

Every test builds into temporary folders with a few real reports; loops are bounded and processes local.
"""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from orchestration.warehouse.rebuild_scope import record_changed
from orchestration.warehouse.run_lock import RefreshLock
from tests.gold import RAW_DIR, ROOT
from tests.integration.conftest import PipelineRun, run_refresh

GOOD = ["seeds/001_168270b2927a7f2f.txt", "seeds/003_a53f3851dc57af3f.txt", "real/015_pingtan_zone_2021.txt"]
REPORT_TEXT = (RAW_DIR / "seeds" / "004_9c37f1e5967ec932.txt").read_text(encoding="utf-8")
DOCUMENTS = [
    ROOT / "tests" / "fixtures" / "documents" / name
    for name in ("013_pingtan_zone_2019.pdf", "017_pingtan_zone_2023.docx")
]


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        stat = path.lstat()
        digest.update(f"{path.relative_to(folder)}|{stat.st_mode}|{stat.st_size}|{stat.st_mtime_ns}".encode())
        if path.is_file() and not path.is_symlink():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _good_raw(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in GOOD:
        target = folder / Path(name).name
        target.write_bytes((RAW_DIR / name).read_bytes())
    return folder


@pytest.fixture(scope="module")
def bad_inputs_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[PipelineRun, str, Path]]:
    root = tmp_path_factory.mktemp("bad_inputs")
    raw = _good_raw(root / "raw")
    outside = root / "outside_secret.txt"
    outside.write_text(REPORT_TEXT, encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    (raw / "garbage.txt").write_bytes(bytes(range(256)) * 8)
    (raw / "word.txt").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 512)
    (raw / "broken.pdf").write_bytes(b"%PDF-1.4 cut off by the crawler")
    (raw / "old.doc").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + "WordDocument".encode("utf-16-le") + bytes(512))
    for document in DOCUMENTS:  # as agencies attach them: a PDF and a Word file of real reports
        (raw / document.name).write_bytes(document.read_bytes())
    (raw / "scan.html").write_text("<html><body><img src='page1.png'><img src='page2.png'></body></html>")
    with (raw / "huge.txt").open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)  # 60 MB, sparse
    (raw / "gbk.txt").write_bytes(REPORT_TEXT.encode("gb18030"))
    (raw / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + REPORT_TEXT.encode("utf-16-le"))
    (raw / "utf16_nobom.txt").write_bytes(REPORT_TEXT.encode("utf-16-le"))
    (raw / "mojibake.txt").write_bytes(REPORT_TEXT.encode("utf-8").decode("latin-1").encode("utf-8"))
    scripts = "<script>var a = '政府信息公开';</script>" * 200 + "<style>p{color:red}</style>" * 200
    (raw / "scripts.html").write_text(f"<html><head>{scripts}</head><body><p>{REPORT_TEXT}</p></body></html>")
    (raw / "news.txt").write_text("我区召开政务公开工作推进会。会议强调，要抓好政务公开各项工作。", encoding="utf-8")
    (raw / "login.html").write_text("<html><body><form>用户名 <input> 密码 <input> 登录</form></body></html>")
    (raw / "dangling.txt").symlink_to(raw / "was_deleted.txt")  # a link inside the folder to a vanished file
    (raw / "outside.txt").symlink_to(outside)
    (raw / "名字 with spaces").mkdir()
    (raw / "名字 with spaces" / "报告 一.txt").write_text(REPORT_TEXT, encoding="utf-8")
    # files that are not regular files: never opened (a FIFO's open would wait for a writer forever)
    os.mkfifo(raw / "pipe.txt")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(raw / "socket.txt"))
    with contextlib.suppress(PermissionError):  # only root may make a device node
        os.mknod(raw / "device.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))  # /dev/null's numbers
    sql = REPORT_TEXT.replace("2013年,", "2013年'); drop table marts.dim_report; --\"O'Brien\",", 1)
    (raw / "sqlish.txt").write_text(sql, encoding="utf-8")
    before = _tree_digest(raw)
    warehouse, work = root / "out" / "ogi.duckdb", root / "work"
    result = run_refresh(raw, warehouse, work)
    listener.close()
    assert result.success, [e.message for e in result.all_events if e.is_failure]
    yield PipelineRun(result, warehouse, raw, work), before, outside


EXPECTED_REJECTIONS = {
    "empty.txt": "empty file",
    "garbage.txt": "binary content",
    "word.txt": "an OLE2 compound file that is neither a Word nor an Excel document",
    "broken.pdf": "unreadable PDF",
    "old.doc": "a Word 97-2003 .doc file: no converter for it installs with the project",
    "scan.html": "image-only page",
    "huge.txt": "over the 20971520-byte limit",
    "news.txt": "not an OGI annual report",
    "login.html": "not an OGI annual report",
    "dangling.txt": "unreadable",
    "outside.txt": "symbolic link pointing outside OGI_RAW_DIR",
    "pipe.txt": "a named pipe (FIFO): not a regular file, never opened",
    "socket.txt": "a socket: not a regular file, never opened",
}


@pytest.mark.parametrize(("name", "reason"), sorted(EXPECTED_REJECTIONS.items()))
def test_bad_file_is_listed_as_rejected_with_a_clear_reason(
    bad_inputs_run: tuple[PipelineRun, str, Path], name: str, reason: str
) -> None:
    run, _, _ = bad_inputs_run
    rows = run.query("select parse_status, parse_message from marts.dim_report where source_path = ?", [name])
    assert len(rows) == 1
    status, message = rows[0]
    assert status == "rejected" and reason in message, message


def test_device_in_the_folder_is_rejected_with_its_kind_and_never_opened(
    bad_inputs_run: tuple[PipelineRun, str, Path],
) -> None:
    run, _, _ = bad_inputs_run
    if not (run.raw_dir / "device.txt").exists():
        pytest.skip("not root: no device node could be made")
    rows = run.query("select parse_status, parse_message from marts.dim_report where source_path = 'device.txt'")
    assert rows == [("rejected", "a character device: not a regular file, never opened")]


@pytest.mark.parametrize(
    "name",
    [
        "gbk.txt",
        "utf16.txt",
        "utf16_nobom.txt",
        "mojibake.txt",
        "scripts.html",
        "名字 with spaces/报告 一.txt",
        "sqlish.txt",
    ],
)
def test_difficult_but_good_files_are_parsed_like_the_original(
    bad_inputs_run: tuple[PipelineRun, str, Path], name: str
) -> None:
    run, _, _ = bad_inputs_run
    rows = run.query(
        "select r.parse_status, r.report_year, a.region_code from marts.dim_report r "
        "left join marts.dim_agency a using (agency_id) where r.source_path = ?",
        [name],
    )
    assert rows == [("parsed", 2013, "522627")], rows


def test_pdf_and_word_reports_are_read_in_the_run_and_say_which_extractor_read_them(
    bad_inputs_run: tuple[PipelineRun, str, Path],
) -> None:
    run, _, _ = bad_inputs_run
    rows = run.query(
        "select source_path, parse_status, report_year, template_version, split_part(detected_encoding, ' ', 2) "
        "from marts.dim_report where source_path in ('013_pingtan_zone_2019.pdf', '017_pingtan_zone_2023.docx') "
        "order by 1"
    )
    assert rows == [
        ("013_pingtan_zone_2019.pdf", "parsed", 2019, "fmt2019", "pypdfium2"),
        ("017_pingtan_zone_2023.docx", "parsed", 2023, "fmt2021", "python-docx"),
    ]
    (received,) = run.query(
        "select f.new_received from marts.fct_applications f join marts.dim_report r using (report_id) "
        "where r.source_path = '017_pingtan_zone_2023.docx' and f.applicant_type = 'total'"
    )[0]
    assert received == 81  # the gold of 017: 一、本年新收 总计


def test_good_files_build_as_usual_and_nothing_is_written_or_read_outside(
    bad_inputs_run: tuple[PipelineRun, str, Path],
) -> None:
    run, before, outside = bad_inputs_run
    statuses = dict(run.query("select source_path, parse_status from marts.dim_report"))
    assert all(statuses[Path(n).name] in ("parsed", "partial") for n in GOOD)
    assert run.query("select count(*) from marts.dim_report")[0][0] == len(list(run.raw_dir.rglob("*"))) - 1
    assert _tree_digest(run.raw_dir) == before, "the raw folder must never be written"
    assert run.query("select count(*) from marts.dim_report where source_path = 'outside.txt' and title is not null")[
        0
    ] == (0,)
    assert outside.read_text(encoding="utf-8") == REPORT_TEXT


def test_removed_file_leaves_the_warehouse_on_the_next_run(tmp_path: Path) -> None:
    raw = _good_raw(tmp_path / "raw")
    warehouse, work = tmp_path / "out" / "ogi.duckdb", tmp_path / "work"
    assert run_refresh(raw, warehouse, work).success
    (raw / "003_a53f3851dc57af3f.txt").unlink()
    assert run_refresh(raw, warehouse, work).success
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        paths = {p for (p,) in conn.execute("select source_path from marts.dim_report").fetchall()}
        facts = conn.execute(
            "select count(*) from marts.fct_applications f join marts.dim_report r using (report_id) "
            "where r.source_path like '003_%'"
        ).fetchone()[0]
    assert "003_a53f3851dc57af3f.txt" not in paths and len(paths) == 2
    assert facts == 0


# --- killed runs -----------------------------------------------------------------------------------------

STAGES = {
    "landing": "landed_report_files - STEP_START",
    "parsing": "parsed_reports - STEP_START",
    "dbt": "ogi_dbt_models - STEP_START",
    "checks": "gx_identity_suites - STEP_START",
    "publish": "published_warehouse - STEP_START",
}


def _dagster_env(raw: Path, warehouse: Path, work: Path, home: Path) -> dict[str, str]:
    home.mkdir(parents=True, exist_ok=True)
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return {
        **os.environ,
        "OGI_RAW_DIR": str(raw),
        "OGI_WAREHOUSE": str(warehouse),
        "OGI_WORK_DIR": str(work),
        "DAGSTER_HOME": str(home),
        "OGI_LOCK_TIMEOUT": "60",
    }


def _start_refresh(env: dict[str, str], log: Path) -> subprocess.Popen:
    dagster = Path(sys.executable).with_name("dagster")
    return subprocess.Popen(
        [str(dagster), "job", "execute", "-m", "orchestration.definitions", "-j", "refresh_warehouse"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _kill_at(process: subprocess.Popen, log: Path, marker: str, extra_wait: float, timeout: float = 120) -> bool:
    """SIGKILL the run's whole process group once ``marker`` appears in its log; False if it never did."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker in log.read_text(errors="replace"):
            time.sleep(extra_wait)
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return False


def _published_state(warehouse: Path) -> tuple[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        (run_id,) = conn.execute("select value from meta.build_info where key = 'dagster_run_id'").fetchone()
        (reports,) = conn.execute("select count(*) from marts.dim_report").fetchone()
    return run_id, reports


@pytest.mark.slow
def test_killing_a_run_at_any_stage_leaves_the_published_warehouse_readable_and_the_next_run_completes(
    tmp_path: Path,
) -> None:
    raw = _good_raw(tmp_path / "raw")
    warehouse, work = tmp_path / "out" / "ogi.duckdb", tmp_path / "work"
    first = run_refresh(raw, warehouse, work)
    assert first.success
    env = _dagster_env(raw, warehouse, work, tmp_path / "home")
    (raw / "new_report.txt").write_text(REPORT_TEXT, encoding="utf-8")  # every stage has work to do
    for stage, marker in STAGES.items():
        before = warehouse.read_bytes()
        log = tmp_path / f"{stage}.log"
        killed = _kill_at(_start_refresh(env, log), log, marker, extra_wait=1.0 if stage == "dbt" else 0.0)
        assert killed, f"the run ended before stage {stage}: {log.read_text(errors='replace')[-2000:]}"
        state = _published_state(warehouse)  # readable, complete
        if warehouse.read_bytes() != before:
            # Only the atomic rename can change it: then it is a whole new build.
            assert stage == "publish" and state[1] == len(GOOD) + 1
        else:
            assert state == (first.run_id, len(GOOD))
    log = tmp_path / "final.log"
    final = _start_refresh(env, log)
    assert final.wait(timeout=300) == 0, log.read_text(errors="replace")[-3000:]
    run_id, reports = _published_state(warehouse)
    assert run_id != first.run_id and reports == len(GOOD) + 1
    assert not list(warehouse.parent.glob(".*.tmp*")), "no temporary copy may remain"


# --- readers and writers -----------------------------------------------------------------------------------

READER = """
import os, sys, time, duckdb
path, stop, deadline, seen = sys.argv[1], sys.argv[2], time.monotonic() + 120, set()
while not os.path.exists(stop) and time.monotonic() < deadline:
    with duckdb.connect(path, read_only=True) as conn:
        run = conn.execute("select value from meta.build_info where key = 'dagster_run_id'").fetchone()[0]
        reports = conn.execute("select count(*) from marts.dim_report").fetchone()[0]
        facts = conn.execute("select count(*) from marts.fct_applications").fetchone()[0]
        assert reports > 0 and facts > 0, (reports, facts)
        seen.add(run)
    time.sleep(0.02)
print(len(seen))
"""


@pytest.mark.slow
def test_readers_during_a_refresh_never_block_it_and_never_see_a_partial_build(tmp_path: Path) -> None:
    raw = _good_raw(tmp_path / "raw")
    warehouse, work = tmp_path / "out" / "ogi.duckdb", tmp_path / "work"
    assert run_refresh(raw, warehouse, work).success
    (raw / "new_report.txt").write_text(REPORT_TEXT, encoding="utf-8")
    stop = tmp_path / "stop"
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, str(warehouse), str(stop)], stdout=subprocess.PIPE, text=True)
        for _ in range(3)
    ]
    time.sleep(1)
    result = run_refresh(raw, warehouse, work)
    time.sleep(0.5)  # let the readers see the new build too
    stop.touch()
    assert result.success, "readers must never block the refresh"
    outputs = [reader.communicate(timeout=60) for reader in readers]
    assert all(reader.returncode == 0 for reader in readers), outputs
    assert all(out.strip() in ("1", "2") for out, _ in outputs), outputs  # old build, then the new one
    assert _published_state(warehouse) == (result.run_id, len(GOOD) + 1)


def test_second_refresh_at_once_is_refused_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = _good_raw(tmp_path / "raw")
    warehouse, work = tmp_path / "out" / "ogi.duckdb", tmp_path / "work"
    holder = RefreshLock(work)
    holder.acquire(0)
    monkeypatch.setenv("OGI_LOCK_TIMEOUT", "1")
    try:
        result = run_refresh(raw, warehouse, work)
    finally:
        holder.release()
    assert not result.success
    messages = " ".join(str(e.event_specific_data) for e in result.all_events if e.is_failure)
    assert "another refresh is running" in messages
    assert not warehouse.exists()


# --- clear failures ----------------------------------------------------------------------------------------


def test_failing_dbt_test_fails_the_run_naming_it_and_keeps_the_previous_warehouse(tmp_path: Path) -> None:
    raw = _good_raw(tmp_path / "raw")
    warehouse, work = tmp_path / "out" / "ogi.duckdb", tmp_path / "work"
    assert run_refresh(raw, warehouse, work).success
    before = warehouse.read_bytes()
    with duckdb.connect(str(work / "build.duckdb")) as conn:  # a parse-contract breach: one cell twice
        (report_id,) = conn.execute(
            "insert into parsed.table_cells select * from parsed.table_cells limit 1 returning report_id"
        ).fetchone()
        # as parsing does for every report it writes: the ledger scopes the incremental models and their tests
        record_changed(conn, [report_id])
    result = run_refresh(raw, warehouse, work)
    assert not result.success
    messages = " ".join(str(e.event_specific_data) for e in result.all_events if e.is_failure)
    assert "ogi_dbt_models" in messages or "dbt" in messages
    assert warehouse.read_bytes() == before


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_full_disk_fails_the_run_naming_the_cause_and_keeps_the_previous_warehouse(
    tmp_path: Path, tiny_disk: Path
) -> None:
    raw = _good_raw(tmp_path / "raw")
    warehouse = tmp_path / "out" / "ogi.duckdb"
    assert run_refresh(raw, warehouse, tmp_path / "work").success
    before = warehouse.read_bytes()
    result = run_refresh(raw, warehouse, tiny_disk / "work")  # the build does not fit in 3 MB
    assert not result.success
    messages = " ".join(str(e.event_specific_data) for e in result.all_events if e.is_failure)
    assert "No space left on device" in messages or "space" in messages.lower(), messages[-2000:]
    assert warehouse.read_bytes() == before
