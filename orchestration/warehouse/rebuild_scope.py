"""Which reports dbt must rebuild: the ledger behind the incremental models.

Parsing writes every report it (re)parses or removes into ``pipeline.changed_reports``. The big per-report
dbt models are incremental: they replace the rows of exactly those reports (and of reports whose canonical
choice moved, see the ``refresh_by_report`` macro), and the tests on them check those reports. The ledger
is emptied only after a ``dbt build`` that succeeded, so a failed or killed build is simply redone.

A change to the dbt project (models, macros, seeds) cannot be applied row by row: the digest of those files
is stored after each successful build, and when it differs (or is missing, as in a new build database) the
next build is a ``--full-refresh`` with every report in the ledger.

Publishing keeps a second ledger, ``pipeline.unpublished_reports``: the reports changed since the last
publish, whose rows an incremental publish replaces in a copy of the previous file (``publish``). A full dbt
refresh sets ``publish_full_needed``: the next publish then writes the whole file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.settings import DBT_PROJECT_DIR

PROJECT_PARTS = ("models", "macros", "seeds", "dbt_project.yml")


def ensure_ledger(conn: duckdb.DuckDBPyConnection) -> None:
    """Create schema ``pipeline`` with the ledger and the build state, if missing."""
    conn.execute("create schema if not exists pipeline")
    conn.execute(
        "create table if not exists pipeline.changed_reports (report_id varchar primary key, changed_at timestamp)"
    )
    conn.execute(
        "create table if not exists pipeline.unpublished_reports (report_id varchar primary key, changed_at timestamp)"
    )
    conn.execute("create table if not exists pipeline.build_state (key varchar primary key, value varchar)")


def record_changed(conn: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Put reports in both ledgers (idempotent; the caller's transaction, if any, covers it)."""
    if report_ids:
        for ledger in ("changed_reports", "unpublished_reports"):
            conn.execute(
                f"insert or ignore into pipeline.{ledger} select unnest(?), current_localtimestamp()", [report_ids]
            )


def build_state(conn: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The stored state (project digest, published file id, pending full publish); empty before any build.

    Reads only, so it also serves a read-only connection to a build database of an older release.
    """
    exists = conn.execute(
        "select count(*) from duckdb_tables() where schema_name = 'pipeline' and table_name = 'build_state'"
    ).fetchone()[0]
    return dict(conn.execute("select key, value from pipeline.build_state").fetchall()) if exists else {}


def dbt_project_digest(project_dir: Path = DBT_PROJECT_DIR) -> str:
    """sha256 over the paths and bytes of the dbt project's models, macros, seeds and dbt_project.yml."""
    digest = hashlib.sha256()
    for part in PROJECT_PARTS:
        root = project_dir / part
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            digest.update(str(path.relative_to(project_dir)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class BuildPlan:
    """How the next ``dbt build`` runs, and why."""

    full_refresh: bool
    reason: str
    changed_reports: int
    digest: str

    def dbt_args(self, whole_project: bool = True) -> list[str]:
        """Arguments for ``dbt``: ``build``, with ``--full-refresh`` when the project changed.

        An incremental build of the whole project leaves out what cannot have changed: the seeds with the
        tests declared beside them, and the views (staging, ``int_fact_counts``). A build is incremental only
        when the project is byte for byte the one last built, so seeds hold the same rows and views the same
        definitions (reloading ten seeds, running their 21 tests and recreating eleven views cost ~5 s of
        every small refresh). ``--indirect-selection empty`` keeps every other test, those on the views and
        those of models that refer to a seed included: by default dbt drops every test with an excluded
        parent. A build of some models only (a subset chosen in the UI) keeps dbt's default selection.
        """
        if self.full_refresh:
            return ["build", "--full-refresh"]
        if not whole_project:
            return ["build"]
        return ["build", "--exclude", "path:seeds config.materialized:view", "--indirect-selection", "empty"]


def plan_build(conn: duckdb.DuckDBPyConnection, project_dir: Path = DBT_PROJECT_DIR) -> BuildPlan:
    """Decide incremental or full; for a full build, every parsed report goes into the ledger."""
    ensure_ledger(conn)
    digest = dbt_project_digest(project_dir)
    stored = build_state(conn).get("dbt_project_digest")
    if stored is None:
        full, reason = True, "no successful dbt build recorded in this build database"
    elif stored != digest:
        full, reason = True, "the dbt project changed since the last build"
    else:
        full, reason = False, "incremental: only reports in the ledger are rebuilt"
    if full:
        conn.execute("begin transaction")
        conn.execute(
            "insert or ignore into pipeline.changed_reports"
            " select report_id, current_localtimestamp() from parsed.reports"
        )
        conn.execute("insert or replace into pipeline.build_state values ('publish_full_needed', 'true')")
        conn.execute("commit")
    (changed,) = conn.execute("select count(*) from pipeline.changed_reports").fetchone()
    return BuildPlan(full, reason, changed, digest)


def finish_build(conn: duckdb.DuckDBPyConnection, plan: BuildPlan) -> None:
    """After a successful ``dbt build``: empty the ledger and store the project digest it was built with."""
    conn.execute("begin transaction")
    conn.execute("delete from pipeline.changed_reports")
    conn.execute("insert or replace into pipeline.build_state values ('dbt_project_digest', ?)", [plan.digest])
    conn.execute("commit")


def mark_published(conn: duckdb.DuckDBPyConnection, publish_id: str) -> None:
    """After a publish: empty the publish ledger and remember which file holds this build's rows."""
    ensure_ledger(conn)
    conn.execute("begin transaction")
    conn.execute("delete from pipeline.unpublished_reports")
    conn.execute("delete from pipeline.build_state where key = 'publish_full_needed'")
    conn.execute("insert or replace into pipeline.build_state values ('published_id', ?)", [publish_id])
    conn.execute("commit")
