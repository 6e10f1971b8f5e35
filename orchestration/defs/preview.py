"""Previews of small frames and counts for the Dagster UI's asset metadata (tables, not JSON blobs)."""

from __future__ import annotations

import dagster as dg
import polars as pl


def markdown_table(frame: pl.DataFrame, max_chars: int = 80) -> str:
    """A markdown table of ``frame`` with long cells cut, for `MetadataValue.md`."""
    if frame.is_empty():
        return "_(no rows)_"

    def cell(value: object) -> str:
        text = "" if value is None else str(value).replace("|", "\\|").replace("\n", " ")
        return text if len(text) <= max_chars else text[: max_chars - 1] + "…"

    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * frame.width]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.iter_rows()]
    return "\n".join(lines)


def counts_table(counts: dict[str, int], key: str, value: str = "rows") -> dg.TableMetadataValue:
    """``counts`` as a two-column table the asset page shows as rows (a JSON blob is cut off on the right)."""
    return dg.MetadataValue.table(
        records=[dg.TableRecord({key: name, value: int(count)}) for name, count in sorted(counts.items())],
        schema=dg.TableSchema(columns=[dg.TableColumn(key, "string"), dg.TableColumn(value, "int")]),
    )
