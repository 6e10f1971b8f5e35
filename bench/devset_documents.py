"""The development set's web pages as the documents agencies attach: PDF printed by Chromium, Word by python-docx.

Writes ``<out>/<set>/…/<name>.pdf`` (and ``.docx``) for every ``.html``/``.htm`` report of a devset folder
(with ``--with-text`` also every ``.txt``/``.md`` one, printed as preformatted text),
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
from html import escape
from pathlib import Path

from orchestration.parsing.decode import decode_report_bytes
from tests.fixtures.make_documents import write_docx, write_pdf

_CHARSET = re.compile(r"charset\s*=\s*[\"']?[-\w]+", re.IGNORECASE)


def convert(
    folder: Path,
    out: Path,
    formats: tuple[str, ...] = ("pdf", "docx"),
    limit: int | None = None,
    with_text: bool = False,
) -> int:
    """Write the documents and their sidecars; returns how many pages were converted."""
    gold_in = folder.with_name(folder.name + "_gold")
    target, gold_out = out / folder.name, out / (folder.name + "_gold")
    suffixes = (".html", ".htm", ".txt", ".md") if with_text else (".html", ".htm")
    pages = sorted(p for p in folder.rglob("*") if p.suffix.lower() in suffixes)[:limit]
    for page in pages:
        relative = page.relative_to(folder)
        sidecar = gold_in / f"{relative}.json"
        if not sidecar.exists():
            continue
        decoded = decode_report_bytes(page.read_bytes(), page.suffix.lower())  # GB18030 pages too
        if decoded.text is None:
            continue
        if page.suffix.lower() in (".txt", ".md"):  # a text report printed as it reads: one <pre> block
            body = f"<pre style='white-space: pre-wrap'>{escape(decoded.text)}</pre>"
            html = f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>"
        else:
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
    parser.add_argument("--with-text", action="store_true", help="also .txt and .md reports, printed as <pre>")
    args = parser.parse_args()
    count = convert(args.folder, args.out, tuple(args.formats.split(",")), args.limit, args.with_text)
    print(f"{count} pages converted into {args.out / args.folder.name}")


if __name__ == "__main__":
    main()
