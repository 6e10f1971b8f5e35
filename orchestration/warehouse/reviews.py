"""Load the reviewers' verdicts on failed checks into the build database, on every run.

The file is versioned with the project (``expectations/review_verdicts.csv``) or wherever ``OGI_REVIEW_FILE``
points; it is keyed by the report file's sha256, so a verdict holds for the same bytes under any name and
after any rebuild.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

COLUMNS = ("content_sha256", "check_code", "scope", "verdict", "note", "reviewer", "reviewed_on")


def load_review_verdicts(conn: duckdb.DuckDBPyConnection, csv_path: Path) -> int:
    """Replace ``raw.review_verdicts`` with the file's rows; return how many verdicts there are."""
    conn.execute("create schema if not exists raw")
    path = str(csv_path).replace("'", "''")
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS)
    conn.execute(
        f"create or replace table raw.review_verdicts as "
        f"select * from read_csv('{path}', header = true, columns = {{{columns}}})"
    )
    return conn.execute("select count(*) from raw.review_verdicts").fetchone()[0]
