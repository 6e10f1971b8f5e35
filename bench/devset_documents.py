"""The development set's web pages as the documents agencies attach: PDF printed by Chromium, Word by python-docx.

Writes ``<out>/<set>/…/<name>.pdf`` (and ``.docx``) for every ``.html``/``.htm`` report of a devset folder,
with its sidecar copied to ``<out>/<set>_gold/…/<name>.pdf.json``, so ``bench.devset`` and
``bench.devset_reports`` score the documents exactly as they score the pages (independent renderings, not the
project's). Needs Chromium and a CJK font for the PDFs::

    .venv/bin/python -m bench.devset_documents ../shared/corpus/devset/tables /tmp/devdocs
    .venv/bin/python -m bench.devset /tmp/devdocs/tables --parser
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

from orchestration.parsing.decode import decode_report_bytes
from tests.fixtures.make_documents import write_docx, write_pdf

_CHARSET = re.compile(r"charset\s*=\s*[\"']?[-\w]+", re.IGNORECASE)


def convert(folder: Path, out: Path, formats: tuple[str, ...] = ("pdf", "docx"), limit: int | None = None) -> int:
    """Write the documents and their sidecars; returns how many pages were converted."""
    gold_in = folder.with_name(folder.name + "_gold")
    target, gold_out = out / folder.name, out / (folder.name + "_gold")
    pages = sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".html", ".htm"))[:limit]
    for page in pages:
        relative = page.relative_to(folder)
        sidecar = gold_in / f"{relative}.json"
        if not sidecar.exists():
            continue
        decoded = decode_report_bytes(page.read_bytes(), page.suffix.lower())  # GB18030 pages too
        if decoded.text is None:
            continue
        html = _CHARSET.sub("charset=utf-8", decoded.text)  # written back as UTF-8 for the browser
        for kind in formats:
            document = target / relative.with_suffix(f".{kind}")
            document.parent.mkdir(parents=True, exist_ok=True)
            (write_pdf if kind == "pdf" else write_docx)(html, document)
            copied = gold_out / f"{relative.with_suffix(f'.{kind}')}.json"
            copied.parent.mkdir(parents=True, exist_ok=True)
            data = json.loads(sidecar.read_text(encoding="utf-8"))
            data["source_path"] = str(relative.with_suffix(f".{kind}"))
            copied.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return len(pages)


def main() -> None:
    """Convert one devset folder's pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--formats", default="pdf,docx")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    count = convert(args.folder, args.out, tuple(args.formats.split(",")), args.limit)
    print(f"{count} pages converted into {args.out / args.folder.name}")


if __name__ == "__main__":
    main()
