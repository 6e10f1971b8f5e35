"""Markdown previews of small frames for the Dagster UI's asset metadata."""

from __future__ import annotations

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
