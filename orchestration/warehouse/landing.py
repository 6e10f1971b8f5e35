"""Land raw report files into the build database, incrementally.

One row per file under ``OGI_RAW_DIR`` in ``raw.landed_files``. A file is identified by its relative path and
the sha256 of its bytes (``report_id``), so an unchanged file is never landed twice, an edited file becomes
a new report, and byte-identical copies under different names are each recorded (they share
``content_sha256``). Files that disappeared from the folder are removed, so their reports leave the facts
on the next build. Nothing is ever written to the raw folder, and a link is never followed out of it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from orchestration.parsing.decode import MAX_REPORT_BYTES, decode_report_bytes

LANDED_SCHEMA = {
    "report_id": pl.Utf8,
    "content_sha256": pl.Utf8,
    "source_path": pl.Utf8,
    "size_bytes": pl.Int64,
    "encoding": pl.Utf8,
    "decoded_text": pl.Utf8,
    "rejection_reason": pl.Utf8,
    "landed_at": pl.Datetime("us"),
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
    landed_at timestamp not null
);
"""


@dataclass(frozen=True)
class RawFile:
    """A file found under the raw folder, read or with the reason it could not be read."""

    source_path: str
    size_bytes: int | None
    content: bytes | None
    read_error: str | None

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


def scan_raw_dir(raw_dir: Path) -> list[RawFile]:
    """Every file under ``raw_dir`` (any depth), sorted by path; hidden files and folders are skipped.

    Hidden entries (names starting with ".") hold version-control and OS metadata and the sample manifest,
    not reports. A symbolic link is read only if it resolves inside ``raw_dir``.
    """
    root = raw_dir.resolve()
    found: list[RawFile] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            found.append(_read_one(root, path))
    return sorted(found, key=lambda f: f.source_path)


def _read_one(root: Path, path: Path) -> RawFile:
    relative = path.relative_to(root).as_posix()
    try:
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root):
                return RawFile(relative, None, None, "symbolic link pointing outside OGI_RAW_DIR: not followed")
        size = path.stat().st_size
        if size > MAX_REPORT_BYTES:
            return RawFile(relative, size, None, f"file is {size} bytes, over the {MAX_REPORT_BYTES}-byte limit")
        with path.open("rb") as handle:
            return RawFile(relative, size, handle.read(), None)
    except PermissionError:
        return RawFile(relative, None, None, "unreadable: permission denied")
    except OSError as error:
        return RawFile(relative, None, None, f"unreadable: {error.strerror or error}")


def land(conn: duckdb.DuckDBPyConnection, raw_dir: Path, now: datetime | None = None) -> LandingSummary:
    """Bring ``raw.landed_files`` in line with the folder: add new files, drop vanished ones."""
    conn.execute(DDL)
    files = scan_raw_dir(raw_dir)
    known = {row[0] for row in conn.execute("select report_id from raw.landed_files").fetchall()}
    current = {f.report_id for f in files}
    landed_at = (now or datetime.now(UTC)).replace(tzinfo=None)
    new_rows = []
    for f in files:
        if f.report_id in known:
            continue
        encoding = text = None
        reason = f.read_error
        if f.content is not None:
            decoded = decode_report_bytes(f.content, Path(f.source_path).suffix.lower())
            encoding, text, reason = decoded.encoding, decoded.text, decoded.rejection
        new_rows.append((f.report_id, f.content_sha256, f.source_path, f.size_bytes, encoding, text, reason, landed_at))
    removed = known - current
    conn.execute("begin transaction")
    try:
        if removed:
            conn.execute("delete from raw.landed_files where report_id in (select unnest(?))", [sorted(removed)])
        if new_rows:
            frame = pl.DataFrame(new_rows, schema=LANDED_SCHEMA, orient="row")
            conn.register("new_landed_files", frame.to_arrow())
            conn.execute("insert into raw.landed_files select * from new_landed_files")
            conn.unregister("new_landed_files")
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    rejected = sum(1 for row in new_rows if row[6] is not None)
    return LandingSummary(len(files), len(new_rows), len(files) - len(new_rows), len(removed), rejected)


def raw_dir_fingerprint(raw_dir: Path) -> str:
    """A cheap digest of the folder's listing (path, size, modification time) for the sensor.

    Reading every file's bytes on each sensor tick would be wasteful; a change of size or mtime is what a
    crawler dropping or rewriting a file produces. Landing then decides by content hash.
    """
    digest = hashlib.sha256()
    root = raw_dir.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(n for n in filenames if not n.startswith(".")):
            path = Path(dirpath) / name
            try:
                stat = path.lstat()
            except OSError:
                continue
            digest.update(f"{path.relative_to(root).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
