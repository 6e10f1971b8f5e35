"""Paths and settings, resolved from the environment at run time (never at import).

``OGI_RAW_DIR`` (default ``raw/``) is the read-only input folder; ``OGI_REVIEW_FILE`` (default
``expectations/review_verdicts.csv``) holds reviewers' verdicts on failed checks; ``OGI_WAREHOUSE`` (default
``warehouse/ogi.duckdb``) is the published file analysts open. The build happens in a work folder beside the
published file (``OGI_WORK_DIR``, default ``<warehouse folder>/.<warehouse name>.build/``) so that the
published file is only ever replaced whole, by an atomic rename on the same file system.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
EXPECTATIONS_DIR = REPO_ROOT / "expectations"
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


def _resolve(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (REPO_ROOT / path)


class _BesideWarehouse:
    """A file published next to the warehouse and named after it (``warehouse/ogi<suffix>``)."""

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix

    def __get__(self, settings: Settings, owner: type | None = None) -> Path:
        return settings.warehouse_path.with_name(settings.warehouse_path.stem + self.suffix)


class _InWorkDir:
    """A file or folder of the build, inside the work folder (never published)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, settings: Settings, owner: type | None = None) -> Path:
        return settings.work_dir / self.name


@dataclass(frozen=True)
class Settings:
    """Where the pipeline reads, builds and publishes."""

    raw_dir: Path
    warehouse_path: Path
    work_dir: Path
    review_file: Path

    build_db = _InWorkDir("build.duckdb")
    """The working DuckDB file: landed files, parsed tables and every dbt model."""
    landed_fingerprint = _InWorkDir("raw_dir.landed")
    """The raw folder's listing digest as the last landing saw it (written before it lands)."""
    published_fingerprint = _InWorkDir("raw_dir.published")
    """The listing digest behind the published warehouse: the sensor does not rebuild what it already holds."""
    gx_docs_dir = _InWorkDir("gx_data_docs")
    """Where Great Expectations data docs are written (git-ignored)."""

    static_report = _BesideWarehouse(".report.html")
    """The HTML report of the published build (``warehouse/ogi.report.html``)."""
    dbt_docs = _BesideWarehouse(".dbt-docs.html")
    """The one-file dbt docs site of the published build (``make docs``)."""
    published_gx_docs = _BesideWarehouse(".gx-data-docs")
    """The GX Data Docs site of the published build (``warehouse/ogi.gx-data-docs/``)."""
    docs_index = _BesideWarehouse(".html")
    """The page linking the published build's documents (``warehouse/ogi.html``)."""


def duckdb_config() -> dict[str, str]:
    """Settings for the pipeline's own DuckDB connections (landing, parsing, checks, publish).

    DuckDB's default memory limit is 80 % of RAM, and it keeps what it read cached up to that limit: at
    100,000 reports the landing connection alone grew past 4 GB. ``OGI_DUCKDB_MEMORY_LIMIT`` (default 1GB)
    bounds it; DuckDB spills to disk beyond it. dbt has its own (``OGI_DBT_MEMORY_LIMIT``, profiles.yml).
    """
    # Checkpoint after 256 MB of log instead of 16 MB: landing commits a batch of ~20 MB of text at a time, and
    # a checkpoint after nearly every batch tripled landing time at 100,000 reports.
    return {"memory_limit": os.environ.get("OGI_DUCKDB_MEMORY_LIMIT") or "1GB", "checkpoint_threshold": "256MB"}


APPEND_ROW_GROUP_SIZE = 8192
"""Rows per row group for small appends to the build database (DuckDB's default is 122,880)."""


def connect_build(path: Path, read_only: bool = False, row_group_size: int | None = None) -> duckdb.DuckDBPyConnection:
    """Open the build database for the pipeline's own steps; ``row_group_size`` for the rows appended now.

    DuckDB appends to a table's last row group until it holds ``row_group_size`` rows, and a checkpoint
    rewrites and recompresses every row group that was appended to. 100,000 landed reports (2 GB of text) fit
    in one default row group, so landing 100 more made the next checkpoint recompress all of it (5.5 s,
    measured), and parsing them did the same to the normalized texts. Attached with a size smaller than the
    last row group, the new rows start a row group of their own and the checkpoint writes only that (0.05 s).
    The size applies to this connection's appends only: the big tables a full parse writes keep default row
    groups, which dbt scans faster (all tables in 8,192-row groups made the 100,000-report dbt build 35 %
    slower).
    """
    if row_group_size is None or read_only:
        return duckdb.connect(str(path), read_only=read_only, config=duckdb_config())
    conn = duckdb.connect(config=duckdb_config())
    try:
        location = str(path).replace("'", "''")
        conn.execute(f"attach '{location}' as build (row_group_size {int(row_group_size)})")
        conn.execute("use build")
    except BaseException:
        conn.close()
        raise
    return conn


def load_settings() -> Settings:
    """Read ``OGI_RAW_DIR``, ``OGI_WAREHOUSE`` and ``OGI_WORK_DIR`` now."""
    warehouse = _resolve(os.environ.get("OGI_WAREHOUSE") or "warehouse/ogi.duckdb")
    work = os.environ.get("OGI_WORK_DIR")
    work_dir = _resolve(work) if work else warehouse.parent / f".{warehouse.stem}.build"
    return Settings(
        raw_dir=_resolve(os.environ.get("OGI_RAW_DIR") or "raw"),
        warehouse_path=warehouse,
        work_dir=work_dir,
        review_file=_resolve(os.environ.get("OGI_REVIEW_FILE") or "expectations/review_verdicts.csv"),
    )
