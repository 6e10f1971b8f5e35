"""Extraction speed per document format, on the document fixtures (real reports printed to PDF, Word, Excel).

The pipeline reads a PDF, Word or Excel report by writing it as HTML first (orchestration.parsing.documents);
this times that step alone, per file and per PDF page, in this process (the landing runs it in one worker
process beside the main one). ``make bench`` prints it; ``python -m bench.documents`` alone.
"""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl

from orchestration.parsing.documents import document_kind, extract_document

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "documents"


def document_speeds(folder: Path = FIXTURES, repeats: int = 3) -> pl.DataFrame:
    """Best-of-``repeats`` extraction time of every document in ``folder``, per format."""
    rows = []
    for path in sorted(folder.glob("*.*")):
        raw = path.read_bytes()
        kind = document_kind(raw)
        if kind is None:
            continue
        extract_document(raw, kind)  # imports and caches outside the timing
        best = min(_timed(raw, kind) for _ in range(repeats))
        pages = _pages(raw) if kind == "pdf" else None
        rows.append({"format": kind, "file": path.name, "kb": len(raw) // 1024, "pages": pages, "ms": best * 1000})
    frame = pl.DataFrame(rows)
    return (
        frame.group_by("format")
        .agg(
            pl.len().alias("files"),
            pl.col("kb").sum().alias("kb"),
            pl.col("pages").sum().alias("pages"),
            pl.col("ms").mean().round(0).alias("ms_per_file"),
            (pl.col("ms").sum() / pl.col("pages").sum()).round(0).alias("ms_per_pdf_page"),
        )
        .sort("format")
    )


def _timed(raw: bytes, kind: str) -> float:
    start = time.perf_counter()
    extracted = extract_document(raw, kind)
    elapsed = time.perf_counter() - start
    if extracted.html is None:
        raise RuntimeError(f"a fixture could not be read: {extracted.rejection}")
    return elapsed


def _pages(raw: bytes) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(raw))


def main() -> None:
    """Print the per-format extraction speed."""
    with pl.Config(tbl_rows=20, tbl_width_chars=160):
        print(document_speeds())


if __name__ == "__main__":
    main()
