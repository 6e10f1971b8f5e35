"""Landing is incremental and idempotent, keeps identical copies apart, and never reads outside the folder."""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.warehouse.landing import (
    land,
    list_raw_dir,
    listing_fingerprint,
    raw_dir_fingerprint,
    scan_raw_dir,
)

REPORT = "某县人民政府2020年政府信息公开工作年度报告".encode()
RAW = Path(__file__).resolve().parents[2] / "raw"


def test_unchanged_files_are_not_landed_twice_and_removed_files_leave(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "sub dir").mkdir(parents=True)
    (raw / "a.txt").write_bytes(REPORT)
    (raw / "sub dir" / "报告 b.txt").write_bytes(REPORT + b"!")
    conn = duckdb.connect(str(tmp_path / "build.duckdb"))
    first = land(conn, raw)
    assert (first.landed, first.unchanged) == (2, 0)
    again = land(conn, raw)
    assert (again.landed, again.unchanged, again.removed) == (0, 2, 0)
    (raw / "a.txt").unlink()
    gone = land(conn, raw)
    assert gone.removed == 1
    assert conn.execute("select source_path from raw.landed_files").fetchall() == [("sub dir/报告 b.txt",)]


def test_byte_identical_copies_are_each_recorded_with_one_sha(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_bytes(REPORT)
    (raw / "copy.txt").write_bytes(REPORT)
    conn = duckdb.connect(str(tmp_path / "build.duckdb"))
    land(conn, raw)
    rows = conn.execute("select report_id, content_sha256 from raw.landed_files").fetchall()
    assert len({r[0] for r in rows}) == 2
    assert len({r[1] for r in rows}) == 1


def test_link_pointing_outside_the_raw_folder_is_rejected_unread(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_bytes(REPORT)
    (raw / "link.txt").symlink_to(secret)
    (found,) = scan_raw_dir(raw)
    assert found.content is None
    assert "outside OGI_RAW_DIR" in (found.read_error or "")


def test_hidden_files_are_skipped(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / ".manifest.csv").write_text("file,sha256\n")
    (raw / "a.txt").write_bytes(REPORT)
    assert [f.source_path for f in scan_raw_dir(raw)] == ["a.txt"]


def test_parallel_parsing_stores_exactly_what_serial_parsing_stores(tmp_path: Path, monkeypatch) -> None:
    from orchestration.warehouse import parsed_store

    raw = RAW / "real"
    results = []
    for name, workers in (("serial", 1), ("parallel", 2)):
        conn = duckdb.connect(str(tmp_path / f"{name}.duckdb"))
        land(conn, raw)
        monkeypatch.setattr(parsed_store, "PARALLEL_MIN_REPORTS", 1)
        monkeypatch.setattr(parsed_store, "CHUNK_SIZE", 5)
        parsed_store.parse_pending(conn, workers=workers)
        results.append(
            {
                table: conn.execute(f"select * exclude (report_id) from parsed.{table} order by all").fetchall()
                for table in ("table_cells", "prose_figures", "parse_issues")
            }
        )
        conn.close()
    assert results[0] == results[1]
    assert len(results[0]["table_cells"]) > 500


def test_unchanged_files_are_listed_not_read(tmp_path: Path, monkeypatch) -> None:
    from orchestration.warehouse import landing

    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(3):
        (raw / f"{i}.txt").write_bytes(REPORT + str(i).encode())
    conn = duckdb.connect(str(tmp_path / "build.duckdb"))
    land(conn, raw)
    reads: list[str] = []
    original = landing._read_one
    monkeypatch.setattr(landing, "_read_one", lambda root, path: reads.append(path.name) or original(root, path))
    (raw / "3.txt").write_bytes(REPORT + b"3")
    summary = land(conn, raw)
    assert reads == ["3.txt"]
    assert (summary.landed, summary.unchanged, summary.removed) == (1, 3, 0)


def test_touched_file_is_read_again_but_stays_the_same_report(tmp_path: Path) -> None:
    import os

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_bytes(REPORT)
    conn = duckdb.connect(str(tmp_path / "build.duckdb"))
    land(conn, raw)
    (before,) = conn.execute("select report_id from raw.landed_files").fetchone()
    stat = (raw / "a.txt").stat()
    os.utime(raw / "a.txt", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    touched = land(conn, raw)
    assert (touched.landed, touched.removed) == (0, 0)
    assert conn.execute("select report_id, modified_ns from raw.landed_files").fetchall() == [
        (before, stat.st_mtime_ns + 10**9)
    ]
    # same size, new bytes, new time: a new report replaces the old one
    (raw / "a.txt").write_bytes(REPORT.replace(b"2020", b"2021"))
    edited = land(conn, raw)
    assert (edited.landed, edited.removed) == (1, 1)
    assert conn.execute("select report_id from raw.landed_files").fetchone()[0] != before


def test_build_from_before_modification_times_is_upgraded(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_bytes(REPORT)
    conn = duckdb.connect(str(tmp_path / "build.duckdb"))
    land(conn, raw)
    conn.execute("alter table raw.landed_files drop column modified_ns")
    again = land(conn, raw)  # read once more (no time stored), recognised as the same report
    assert (again.landed, again.unchanged, again.removed) == (0, 1, 0)
    assert conn.execute("select count(modified_ns) from raw.landed_files").fetchone()[0] == 1


def test_a_read_that_stalls_is_given_up_after_the_time_limit_and_the_rest_lands(tmp_path: Path, monkeypatch) -> None:
    from orchestration.warehouse import landing

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_bytes(REPORT)
    (raw / "stalls.txt").write_bytes(REPORT + b" ")
    fifo = tmp_path / "nobody_writes"
    os.mkfifo(fifo)
    original = landing._read_regular_file

    def read(path: Path) -> bytes:  # a regular file whose read hangs, like one on a dead network mount
        return fifo.read_bytes() if path.name == "stalls.txt" else original(path)

    monkeypatch.setattr(landing, "_read_regular_file", read)
    monkeypatch.setenv("OGI_READ_TIMEOUT", "0.5")
    conn = duckdb.connect(str(tmp_path / "build.duckdb"))
    started = time.monotonic()
    land(conn, raw)
    assert time.monotonic() - started < 10
    rows = dict(conn.execute("select source_path, rejection_reason from raw.landed_files").fetchall())
    assert rows == {"good.txt": None, "stalls.txt": "unreadable: the read did not finish within 0.5 s"}


def test_off_the_main_thread_a_stalled_read_is_abandoned_on_its_thread(tmp_path: Path, monkeypatch) -> None:
    import threading

    from orchestration.warehouse import landing

    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (raw / name).write_bytes(REPORT + name.encode())
    fifo = tmp_path / "nobody_writes"
    os.mkfifo(fifo)
    original = landing._read_regular_file
    monkeypatch.setattr(
        landing, "_read_regular_file", lambda path: fifo.read_bytes() if path.name == "b.txt" else original(path)
    )
    out: list = []
    paths = [raw / "a.txt", raw / "b.txt", raw / "c.txt"]
    worker = threading.Thread(target=lambda: out.extend(landing.GuardedReader(0.5).read_all(raw, paths)))
    worker.start()
    worker.join(timeout=20)
    assert [(f.source_path, f.read_error) for f in out] == [
        ("a.txt", None),
        ("b.txt", "unreadable: the read did not finish within 0.5 s"),
        ("c.txt", None),
    ]


def test_a_fifo_swapped_in_after_listing_is_refused_without_blocking(tmp_path: Path) -> None:
    from orchestration.warehouse import landing

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # _read_regular_file opens without blocking and checks what it opened
    with pytest.raises(landing.NotARegularFileError, match="named pipe"):
        landing._read_regular_file(fifo)


def test_the_sensors_fingerprint_is_the_landing_listings_and_moves_with_size_mtime_and_names(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "a").mkdir(parents=True)
    (raw / "a" / "one.txt").write_text("一", encoding="utf-8")
    (raw / ".hidden").write_text("x", encoding="utf-8")
    first = raw_dir_fingerprint(raw)
    assert first == listing_fingerprint(list_raw_dir(raw))  # the sensor and landing agree
    assert raw_dir_fingerprint(raw) == first  # nothing changed
    (raw / ".hidden").write_text("changed", encoding="utf-8")
    assert raw_dir_fingerprint(raw) == first  # hidden files are not reports
    (raw / "a" / "one.txt").write_text("一二", encoding="utf-8")
    second = raw_dir_fingerprint(raw)
    assert second != first
    (raw / "a" / "one.txt").rename(raw / "a" / "two.txt")
    assert raw_dir_fingerprint(raw) not in (first, second)
