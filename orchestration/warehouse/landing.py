"""Land raw report files into the build database, incrementally.

One row per file under ``OGI_RAW_DIR`` in ``raw.landed_files``. A file is identified by its relative path and
the sha256 of its bytes (``report_id``), so an unchanged file is never landed twice, an edited file becomes
a new report, and byte-identical copies under different names are each recorded (they share
``content_sha256``). Files that disappeared from the folder are removed, so their reports leave the facts
on the next build. Nothing is ever written to the raw folder, and a link is never followed out of it.

At scale the folder is listed (names, sizes, modification times) without being read: a file whose path,
size and modification time match its landed row is unchanged and is not read again (the rule rsync and make
use; a rewrite that keeps both is not seen). Everything else is read, hashed and decoded in batches, so memory
holds one batch of files, never the folder.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import queue
import signal
import stat
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import duckdb
import polars as pl

from orchestration.parsing.decode import MAX_REPORT_BYTES, decode_report_bytes
from orchestration.warehouse.progress import Progress

LANDED_SCHEMA = {
    "report_id": pl.Utf8,
    "content_sha256": pl.Utf8,
    "source_path": pl.Utf8,
    "size_bytes": pl.Int64,
    "encoding": pl.Utf8,
    "decoded_text": pl.Utf8,
    "rejection_reason": pl.Utf8,
    "landed_at": pl.Datetime("us"),
    "modified_ns": pl.Int64,
}
BATCH_FILES = 1000
READ_TIMEOUT_SECONDS = 60.0
"""Default of ``OGI_READ_TIMEOUT``: a report is at most 20 MB, read locally in milliseconds."""
_NOT_REGULAR = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}

DDL = """
create schema if not exists raw;
create table if not exists raw.landed_files (
    report_id varchar primary key,
    content_sha256 varchar,
    source_path varchar not null,
    size_bytes bigint,
    encoding varchar,
    decoded_text varchar,
    rejection_reason varchar,
    landed_at timestamp not null,
    modified_ns bigint
);
-- builds from before modified_ns existed: the column is added, empty, so their files are read once more
alter table raw.landed_files add column if not exists modified_ns bigint;
"""


@dataclass(frozen=True)
class RawFile:
    """A file found under the raw folder, read or with the reason it could not be read."""

    source_path: str
    size_bytes: int | None
    content: bytes | None
    read_error: str | None
    modified_ns: int | None = None

    @property
    def content_sha256(self) -> str | None:
        return hashlib.sha256(self.content).hexdigest() if self.content is not None else None

    @property
    def report_id(self) -> str:
        """Stable while the relative path and the bytes stay the same."""
        basis = f"{self.source_path}\n{self.content_sha256 or 'unreadable:' + (self.read_error or '')}"
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class LandingSummary:
    """What one landing did."""

    files_seen: int
    landed: int
    unchanged: int
    removed: int
    rejected: int

    def __str__(self) -> str:
        return (
            f"{self.files_seen:,} files seen: {self.landed:,} landed now ({self.rejected:,} of them rejected), "
            f"{self.unchanged:,} unchanged, {self.removed:,} removed"
        )


class ListedFile(NamedTuple):
    """A file found by listing the folder: its path below the folder, size and modification time (not bytes)."""

    source_path: str
    size_bytes: int | None
    modified_ns: int | None


def list_raw_dir(raw_dir: Path) -> list[ListedFile]:
    """Every file under ``raw_dir`` (any depth), sorted by path; hidden files and folders are skipped.

    Hidden entries (names starting with ".") hold version-control and OS metadata and the sample manifest,
    not reports. Only ``lstat`` is called: nothing is opened. A link to a folder is not followed. Plain
    ``os.scandir`` and strings, no ``pathlib``: listing 100,000 unchanged files is most of an incremental
    landing (3.9 s with ``pathlib`` objects per file).
    """
    found: list[ListedFile] = []
    pending = [(str(raw_dir.resolve()), "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    is_folder = entry.is_dir()
                except OSError:
                    is_folder = False
                if is_folder:
                    if not entry.is_symlink():
                        pending.append((entry.path, f"{prefix}{entry.name}/"))
                    continue
                try:
                    stat = entry.stat(follow_symlinks=False)
                    size, modified = stat.st_size, stat.st_mtime_ns
                except OSError:
                    size = modified = None
                found.append(ListedFile(prefix + entry.name, size, modified))
    found.sort()
    return found


def scan_raw_dir(raw_dir: Path) -> list[RawFile]:
    """Every file under ``raw_dir``, read (a symbolic link only if it resolves inside ``raw_dir``)."""
    root = raw_dir.resolve()
    paths = [root / listed.source_path for listed in list_raw_dir(raw_dir)]
    return list(GuardedReader(read_timeout()).read_all(root, paths))


def read_timeout() -> float:
    """``OGI_READ_TIMEOUT`` (seconds a single file's read may take), read at run time."""
    value = os.environ.get("OGI_READ_TIMEOUT")
    return float(value) if value else READ_TIMEOUT_SECONDS


class _ReadTimeoutError(Exception):
    """Raised by the SIGALRM handler inside a read that took longer than the limit."""


def _on_alarm(signum: int, frame: object) -> None:
    raise _ReadTimeoutError


class GuardedReader:
    """Reads files with a time limit each, giving up on one that stalls (a dead network mount, a device).

    In the main thread (``make run``, ``dagster dev``'s run workers, the tests) a read runs under an interval
    timer whose SIGALRM aborts it: two system calls a file. Elsewhere signals cannot be used, and reads run on a
    daemon thread a few files ahead of the caller; the thread of a read that timed out cannot be stopped, only
    abandoned, and reading goes on with the next file on a fresh thread with a queue of its own, so a late
    answer is never taken for another file's. (A hand-off per file on a thread cost 0.1-0.6 ms, most of
    landing's time at 100,000 files: hence the timer where it can be had.)
    """

    def __init__(self, timeout: float, ahead: int = 32) -> None:
        self._timeout = timeout
        self._ahead = ahead

    def read_all(self, root: Path, paths: list[Path]) -> Iterator[RawFile]:
        """``_read_one`` of every path, in order; a path whose read stalls is given up with the reason."""
        if threading.current_thread() is threading.main_thread():
            return self._read_under_timer(root, paths)
        return self._read_on_thread(root, paths)

    def _timed_out(self, root: Path, path: Path) -> RawFile:
        reason = f"unreadable: the read did not finish within {self._timeout:g} s"
        return RawFile(path.relative_to(root).as_posix(), None, None, reason)

    def _read_under_timer(self, root: Path, paths: list[Path]) -> Iterator[RawFile]:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        try:
            for path in paths:
                try:
                    signal.setitimer(signal.ITIMER_REAL, self._timeout)
                    raw_file = _read_one(root, path)
                except _ReadTimeoutError:
                    raw_file = self._timed_out(root, path)
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                yield raw_file
        finally:
            signal.signal(signal.SIGALRM, previous)

    def _read_on_thread(self, root: Path, paths: list[Path]) -> Iterator[RawFile]:
        index = 0
        while index < len(paths):
            results: queue.Queue = queue.Queue(maxsize=self._ahead)
            stop = threading.Event()
            threading.Thread(target=_read_each, args=(root, paths[index:], results, stop), daemon=True).start()
            try:
                for path in paths[index:]:
                    try:
                        raw_file = results.get(timeout=self._timeout)
                    except queue.Empty:
                        yield self._timed_out(root, path)
                        index += 1
                        break
                    yield raw_file
                    index += 1
            finally:
                stop.set()


def _read_each(root: Path, paths: list[Path], results: queue.Queue, stop: threading.Event) -> None:
    for path in paths:
        raw_file = _read_one(root, path)
        while not stop.is_set():
            try:
                results.put(raw_file, timeout=0.5)
                break
            except queue.Full:
                continue
        if stop.is_set():
            return


class NotARegularFileError(OSError):
    """The path turned into a FIFO, socket or device between listing and opening it."""


def _read_regular_file(path: Path) -> bytes:
    """The bytes of ``path`` if it is a regular file, opened without blocking (a FIFO swapped in is refused)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        kind = _NOT_REGULAR.get(stat.S_IFMT(os.fstat(descriptor).st_mode))
        if kind:
            raise NotARegularFileError(f"{kind}: not a regular file, never read")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            return handle.read()
    finally:
        os.close(descriptor)


def _read_one(root: Path, path: Path) -> RawFile:
    """Read one listed file, or say why not: only regular files are opened, and every read has a time limit."""
    relative = path.relative_to(root).as_posix()
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root):
                return RawFile(relative, None, None, "symbolic link pointing outside OGI_RAW_DIR: not followed")
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            kind = _NOT_REGULAR.get(stat.S_IFMT(status.st_mode), "not a regular file")
            return RawFile(relative, None, None, f"{kind}: not a regular file, never opened")
        size = status.st_size
        if size > MAX_REPORT_BYTES:
            return RawFile(relative, size, None, f"file is {size} bytes, over the {MAX_REPORT_BYTES}-byte limit")
        modified = path.lstat().st_mtime_ns
        return RawFile(relative, size, _read_regular_file(path), None, modified)
    except NotARegularFileError as error:
        return RawFile(relative, None, None, str(error))
    except PermissionError:
        return RawFile(relative, None, None, "unreadable: permission denied")
    except OSError as error:
        return RawFile(relative, None, None, f"unreadable: {error.strerror or error}")


def land(
    conn: duckdb.DuckDBPyConnection,
    raw_dir: Path,
    now: datetime | None = None,
    progress: Progress | None = None,
    listed: list[ListedFile] | None = None,
) -> LandingSummary:
    """Bring ``raw.landed_files`` in line with the folder: add new and changed files, drop vanished ones.

    Each batch of files is committed on its own: DuckDB holds an open transaction's new rows in memory, and a
    whole corpus in one transaction grew past 4 GB at 100,000 reports. A run killed half-way leaves some
    batches landed; they are recognised as unchanged next time and the rest is landed then (removed files
    are deleted last, once the whole folder has been seen). ``listed``: the folder's listing if the caller
    already made it (the landing asset does, for the sensor's fingerprint): a folder is walked once.
    """
    conn.execute(DDL)
    root = raw_dir.resolve()
    listed = list_raw_dir(raw_dir) if listed is None else listed
    stored = {
        path: (report_id, size, modified)
        for report_id, path, size, modified in conn.execute(
            "select report_id, source_path, size_bytes, modified_ns from raw.landed_files"
        ).fetchall()
    }
    landed_at = (now or datetime.now(UTC)).replace(tzinfo=None)
    current: set[str] = set()
    to_read: list[ListedFile] = []
    for item in listed:
        known = stored.get(item.source_path)
        if known and known[2] is not None and (known[1], known[2]) == (item.size_bytes, item.modified_ns):
            current.add(known[0])
        else:
            to_read.append(item)
    landed = rejected = 0
    read = GuardedReader(read_timeout()).read_all(root, [root / item.source_path for item in to_read])
    while batch := list(itertools.islice(read, BATCH_FILES)):
        rows = []
        for raw_file in batch:
            current.add(raw_file.report_id)
            rows.append(_landed_row(raw_file, landed_at))
        landed_now, rejected_now = _in_transaction(conn, lambda rows=rows: _insert_new(conn, rows))
        landed, rejected = landed + landed_now, rejected + rejected_now
        if progress:
            progress(landed, len(to_read))
    removed = sorted({report_id for report_id, _, _ in stored.values()} - current)
    if removed:
        _in_transaction(
            conn, lambda: conn.execute("delete from raw.landed_files where report_id in (select unnest(?))", [removed])
        )
    return LandingSummary(len(listed), landed, len(listed) - landed, len(removed), rejected)


def _in_transaction(conn: duckdb.DuckDBPyConnection, work):  # type: ignore[no-untyped-def]
    conn.execute("begin transaction")
    try:
        result = work()
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return result


def _landed_row(raw_file: RawFile, landed_at: datetime) -> tuple:
    encoding = text = None
    reason = raw_file.read_error
    if raw_file.content is not None:
        decoded = decode_report_bytes(raw_file.content, Path(raw_file.source_path).suffix.lower())
        encoding, text, reason = decoded.encoding, decoded.text, decoded.rejection
    return (
        raw_file.report_id,
        raw_file.content_sha256,
        raw_file.source_path,
        raw_file.size_bytes,
        encoding,
        text,
        reason,
        landed_at,
        raw_file.modified_ns,
    )


def _insert_new(conn: duckdb.DuckDBPyConnection, rows: list[tuple]) -> tuple[int, int]:
    """Insert the batch's new reports; a file only touched (same bytes) just gets its new modification time."""
    if not rows:
        return 0, 0
    frame = pl.DataFrame(rows, schema=LANDED_SCHEMA, orient="row")
    conn.register("batch_files", frame.to_arrow())
    try:
        conn.execute(
            "update raw.landed_files as l set modified_ns = b.modified_ns, size_bytes = b.size_bytes "
            "from batch_files as b where l.report_id = b.report_id"
        )
        new = conn.execute(
            "select count(*), count(rejection_reason) from batch_files "
            "where report_id not in (select report_id from raw.landed_files)"
        ).fetchone()
        conn.execute(
            "insert into raw.landed_files by name "
            "select * from batch_files where report_id not in (select report_id from raw.landed_files)"
        )
    finally:
        conn.unregister("batch_files")
    return int(new[0]), int(new[1])


def listing_fingerprint(listed: list[ListedFile]) -> str:
    """A digest of a folder's listing (path, size, modification time): what the sensor compares.

    Reading every file's bytes on each sensor tick would be wasteful; a change of size or mtime is what a
    crawler dropping or rewriting a file produces. Landing then decides by content hash.
    """
    digest = hashlib.sha256()
    for item in listed:
        digest.update(f"{item.source_path}\0{item.size_bytes}\0{item.modified_ns}\n".encode())
    return digest.hexdigest()


def raw_dir_fingerprint(raw_dir: Path) -> str:
    """``listing_fingerprint`` of the folder as it is now (the sensor's tick; landing reuses its own listing)."""
    return listing_fingerprint(list_raw_dir(raw_dir))


def remember_fingerprint(path: Path, fingerprint: str) -> None:
    """Write a listing digest to ``path`` atomically (a sensor may read it at any moment)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(fingerprint, encoding="utf-8")
    temporary.replace(path)


def remembered_fingerprint(path: Path) -> str | None:
    """The digest written by ``remember_fingerprint``, or None when there is none."""
    try:
        return path.read_text(encoding="utf-8").strip() or None
    except OSError:
        return None
