"""Landing: raw report files and the region reference into the build database."""

import dagster as dg

from orchestration.defs.preview import markdown_table
from orchestration.resources import WarehousePaths
from orchestration.settings import APPEND_ROW_GROUP_SIZE, REFERENCE_DIR
from orchestration.warehouse.landing import land, list_raw_dir, listing_fingerprint, remember_fingerprint
from orchestration.warehouse.progress import throttled
from orchestration.warehouse.reference import load_region_reference
from orchestration.warehouse.reviews import load_review_verdicts


@dg.asset(group_name="landing", kinds={"duckdb", "python"})
def landed_report_files(context: dg.AssetExecutionContext, paths: WarehousePaths) -> dg.MaterializeResult:
    """Every file under OGI_RAW_DIR in `raw.landed_files`: report_id, sha256, path, size, encoding, text.

    Incremental: a file whose path and bytes are unchanged is not landed again; a vanished file is removed.
    Unreadable or undecodable files are kept with their rejection reason. The raw folder is never written.
    """
    settings = paths.settings()
    if not settings.raw_dir.is_dir():
        raise dg.Failure(f"OGI_RAW_DIR {settings.raw_dir} is not a folder")
    # small row groups: appending a few files later then rewrites no big row group of texts (connect_build)
    # the listing before landing reads it: a file added meanwhile makes the sensor see a change, never hides one
    listed = list_raw_dir(settings.raw_dir)
    remember_fingerprint(settings.landed_fingerprint, listing_fingerprint(listed))
    with paths.build_connection(row_group_size=APPEND_ROW_GROUP_SIZE) as conn:
        progress = throttled(context.log.info, "landing: files read")
        summary = land(conn, settings.raw_dir, progress=progress, listed=listed)
        preview = conn.execute(
            "select source_path, encoding, size_bytes, rejection_reason from raw.landed_files "
            "order by source_path limit 10"
        ).pl()
    context.log.info(f"landing {settings.raw_dir}: {summary}")
    return dg.MaterializeResult(
        metadata={
            "raw_dir": str(settings.raw_dir),
            "files_seen": summary.files_seen,
            "landed_now": summary.landed,
            "unchanged": summary.unchanged,
            "removed": summary.removed,
            "rejected_now": summary.rejected,
            "preview": dg.MetadataValue.md(markdown_table(preview)),
        }
    )


# Loaded before the raw files: landing leaves ~2 GB of dirty pages at 100,000 reports, and the first commit after
# it waits for their write-back (11-15 s); parsing's CPU work overlaps that write-back instead.
@dg.asset(group_name="landing", kinds={"duckdb"}, op_tags={"dagster/priority": "1"})
def region_reference(paths: WarehousePaths) -> dg.MaterializeResult:
    """Administrative divisions with validity years (GB/T 2260 county level and up, NBS townships).

    Loaded from `orchestration/reference/regions.csv.gz`, which `scripts/build_region_reference.py` derives from
    the areacodes (CC0-1.0) and NBS/modood (WTFPL) data; reloaded only when that file changes.
    """
    with paths.build_connection() as conn:
        rows, reloaded = load_region_reference(conn, REFERENCE_DIR / "regions.csv.gz")
    return dg.MaterializeResult(metadata={"rows": rows, "reloaded": reloaded})


@dg.asset(group_name="landing", kinds={"duckdb"}, op_tags={"dagster/priority": "1"})
def review_verdicts(paths: WarehousePaths) -> dg.MaterializeResult:
    """Reviewers' verdicts on failed checks (dismissed / confirmed, with a note), loaded on every run.

    From OGI_REVIEW_FILE (default `expectations/review_verdicts.csv`, versioned), keyed by the report file's
    sha256, the check and the scope, so a verdict survives re-landing, renames and rebuilds.
    """
    settings = paths.settings()
    with paths.build_connection() as conn:
        rows = load_review_verdicts(conn, settings.review_file)
    return dg.MaterializeResult(metadata={"file": str(settings.review_file), "verdicts": rows})
