"""Text out of the documents agencies publish as attachments: PDF, Word (.docx) and Excel (.xlsx, .xls) files.

Every extractor writes the document as a small HTML page: paragraphs as ``<p>``, tables as ``<table>`` with
``rowspan``/``colspan`` where cells are merged. The report then goes through the same normalizer, section
finder, table readers and prose rules as a report published as a web page, so a table printed in Word is read
by the code that reads the same table on a site.

- PDF (text PDFs exported from Word or WPS, or printed by a browser): pypdfium2 reads the text in reading
  order with the characters' real code points; pdfplumber finds the ruled tables, and each cell's text is
  read by pypdfium2 inside the cell's box. Page numbers ("- 4 -", "第 4 页") are dropped and a line that fills
  the text width is joined to the next (a paragraph wrapped by the page, not by its author). A PDF without a
  text layer is refused ("image only: needs OCR"): no OCR engine with its models installs from the lock.
- Word (.docx): the body's paragraphs and tables in document order, merged cells kept as spans (gridSpan,
  vMerge). A Word 97-2003 ``.doc`` is refused: no converter for it installs from the lock.
- Excel (.xlsx, .xls): every sheet as a table, merged ranges as spans, integral numbers without ".0".

No Dagster here: landing calls ``extract_document`` through ``extract_with_time_limit``.
"""

from __future__ import annotations

import html
import io
import logging
import os
import re
import zipfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from importlib.metadata import version
from multiprocessing import get_context

OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
MAX_PDF_PAGES = 80
"""A PDF above this many pages is refused unread: an annual report has a few to a few dozen pages."""
EXTRACT_SECONDS = float(os.environ.get("OGI_EXTRACT_SECONDS", "120"))
"""Time limit for one document's extraction (a malformed file must not hang a run)."""
MIN_TEXT_CHARS = 40
"""Fewer characters than this in a whole PDF: its pages are images."""

DOCUMENT_KINDS = ("pdf", "docx", "xlsx", "xls")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-－—–]\s*\d{1,4}\s*[-－—–]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4})\s*$"
)
_SENTENCE_END = re.compile(r"[。；！？：:;!?）)」』”]$")
_LINE_START_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class Extracted:
    """A document as HTML, and which extractor read it; or why it could not be read."""

    html: str | None
    extractor: str
    rejection: str | None = None


def document_kind(raw: bytes) -> str | None:
    """The kind of document the bytes are, by their signature (not the file name); None for text.

    Returns one of DOCUMENT_KINDS, "doc" (Word 97-2003), "zip" (another ZIP archive) or "ole2" (another
    OLE2 compound file).
    """
    if raw.startswith(b"%PDF-"):
        return "pdf"
    if raw.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(raw)).namelist())
        except zipfile.BadZipFile:
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    if raw.startswith(OLE2_MAGIC):
        if "WordDocument".encode("utf-16-le") in raw:
            return "doc"
        if "Workbook".encode("utf-16-le") in raw or "Book".encode("utf-16-le") in raw:
            return "xls"
        return "ole2"
    return None


def extract_document(raw: bytes, kind: str) -> Extracted:
    """The document's text as HTML, or the reason it cannot be read (never an exception)."""
    extractor = _extractor_name(kind)
    try:
        if kind == "pdf":
            return _extract_pdf(raw, extractor)
        if kind == "docx":
            return Extracted(_docx_html(raw), extractor)
        if kind in ("xlsx", "xls"):
            return Extracted(_workbook_html(raw), extractor)
    except Exception as error:  # a corrupt file of any kind: its reason, the run goes on
        return Extracted(None, extractor, f"{kind} file could not be read ({type(error).__name__}: {error})"[:300])
    return Extracted(None, extractor, f"no extractor for {kind} files")


_POOL: ProcessPoolExecutor | None = None


def extract_with_time_limit(raw: bytes, kind: str, seconds: float = EXTRACT_SECONDS) -> Extracted:
    """``extract_document`` in a worker process that is killed when it takes longer than ``seconds``."""
    global _POOL
    if _POOL is None:
        _POOL = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
    future = _POOL.submit(extract_document, raw, kind)
    try:
        return future.result(timeout=seconds)
    except FutureTimeout:
        _stop_pool()
        return Extracted(None, _extractor_name(kind), f"{kind} extraction did not finish within {seconds:g} s")
    except Exception as error:  # the worker died (a crash inside a native library)
        _stop_pool()
        return Extracted(None, _extractor_name(kind), f"{kind} extraction failed ({type(error).__name__})")


def _stop_pool() -> None:
    global _POOL
    if _POOL is None:
        return
    for process in list(getattr(_POOL, "_processes", {}).values()):
        process.kill()
    _POOL.shutdown(wait=False, cancel_futures=True)
    _POOL = None


def _extractor_name(kind: str) -> str:
    packages = {
        "pdf": ("pypdfium2", "pdfplumber"),
        "docx": ("python-docx",),
        "xlsx": ("python-calamine",),
        "xls": ("python-calamine",),
    }.get(kind, ())
    return f"{kind}: " + " + ".join(f"{p} {version(p)}" for p in packages)


# --- tables -------------------------------------------------------------------------------------------------


@dataclass
class _Cell:
    row: int
    column: int
    text: str
    rowspan: int = 1
    colspan: int = 1


def _table_html(cells: list[_Cell]) -> str:
    """A grid of cells (each at its top-left position, with spans) as an HTML table."""
    rows: dict[int, list[_Cell]] = {}
    for cell in cells:
        rows.setdefault(cell.row, []).append(cell)
    out = ["<table>"]
    for index in sorted(rows):
        out.append("<tr>")
        for cell in sorted(rows[index], key=lambda c: c.column):
            spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
            )
            out.append(f"<td{spans}>{html.escape(cell.text)}</td>")
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _page_html(title: str, blocks: list[str]) -> str:
    return f"<html><head><title>{html.escape(title)}</title></head><body>\n" + "\n".join(blocks) + "\n</body></html>"


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>" if text.strip() else ""


# --- Word -----------------------------------------------------------------------------------------------------


def _docx_html(raw: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(raw))
    blocks: list[str] = []
    for child in _body_blocks(document.element.body):
        if child.tag == f"{_W}p":
            blocks.append(_paragraph(_xml_text(child)))
        elif child.tag == f"{_W}tbl":
            blocks.append(_table_html(_docx_cells(child)))
    title = next((b for b in blocks if b), "")
    return _page_html(re.sub(r"<[^>]+>", "", title), [b for b in blocks if b])


def _body_blocks(element: object) -> Iterator[object]:
    """The body's paragraphs and tables in order, also those inside content controls (w:sdt) and
    tracked insertions (w:ins), which Word and WPS wrap around parts of a template."""
    for child in element.iterchildren():  # type: ignore[attr-defined]
        if child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}ins", f"{_W}customXml"):
            yield from _body_blocks(child)


def _xml_text(element: object) -> str:
    """The text of a paragraph or cell: its runs' w:t, tabs as spaces, paragraphs of a cell joined."""
    parts = []
    for node in element.iter():  # type: ignore[attr-defined]
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append(" ")
        elif node.tag == f"{_W}p" and parts:
            parts.append("")
    return "".join(parts).strip()


def _docx_cells(table: object) -> list[_Cell]:
    """A Word table's cells with spans: gridSpan is a horizontal merge, vMerge continues the cell above."""
    cells: list[_Cell] = []
    open_by_column: dict[int, _Cell] = {}  # the cell a vertical merge continues, by its grid column
    for row_index, row in enumerate(table.iterchildren(f"{_W}tr")):  # type: ignore[attr-defined]
        column = 0
        for tc in row.iterchildren(f"{_W}tc"):
            properties = tc.find(f"{_W}tcPr")
            span_node = properties.find(f"{_W}gridSpan") if properties is not None else None
            merge_node = properties.find(f"{_W}vMerge") if properties is not None else None
            colspan = int(span_node.get(f"{_W}val", "1")) if span_node is not None else 1
            continues = merge_node is not None and merge_node.get(f"{_W}val", "continue") == "continue"
            if continues and column in open_by_column:
                open_by_column[column].rowspan += 1
            else:
                cell = _Cell(row_index, column, _xml_text(tc), colspan=colspan)
                cells.append(cell)
                for covered in range(column, column + colspan):
                    open_by_column.pop(covered, None)
                if merge_node is not None:
                    open_by_column[column] = cell
            column += colspan
    return cells


# --- Excel ----------------------------------------------------------------------------------------------------


def _workbook_html(raw: bytes) -> str:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    blocks = []
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        if not any(any(_cell_text(v) for v in row) for row in rows):
            continue
        covered: dict[tuple[int, int], tuple[int, int] | None] = {}
        for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
            for r in range(top, bottom + 1):
                for c in range(left, right + 1):
                    covered[(r, c)] = None
            covered[(top, left)] = (bottom - top + 1, right - left + 1)
        cells = []
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                span = covered.get((r, c), (1, 1))
                if span is None:
                    continue
                cells.append(_Cell(r, c, _cell_text(value), rowspan=span[0], colspan=span[1]))
        blocks.append(_paragraph(name))
        blocks.append(_table_html(cells))
    return _page_html(workbook.sheet_names[0] if workbook.sheet_names else "", blocks)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- PDF ------------------------------------------------------------------------------------------------------


def _extract_pdf(raw: bytes, extractor: str) -> Extracted:
    import pdfplumber
    import pypdfium2 as pdfium

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font descriptor warnings on every page
    try:
        document = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as error:
        reason = "password-protected PDF" if "password" in str(error).lower() else f"unreadable PDF ({error})"
        return Extracted(None, extractor, reason)
    if len(document) > MAX_PDF_PAGES:
        return Extracted(
            None, extractor, f"a PDF of {len(document)} pages: more than an annual report has (limit {MAX_PDF_PAGES})"
        )
    blocks: list[str] = []
    characters = 0
    with pdfplumber.open(io.BytesIO(raw)) as plumber:
        for page_number, page in enumerate(plumber.pages):
            pdf_page = document[page_number]
            page_chars = _page_chars(pdf_page.get_textpage())
            height = float(page.height)
            tables = _ruled_tables(page, pdf_page, height)
            placed: list[tuple[float, str]] = []  # (top, block): paragraphs and tables in the page's order
            for table in tables:
                cells = _pdf_cells(table, page_chars, height)
                characters += sum(len(c.text) for c in cells)
                placed.append((float(table.bbox[1]), _table_html(cells)))
            lines = [line for line in _pdf_lines(page_chars, height, page_number) if not _inside_any(line, tables)]
            for top, paragraph in _paragraphs(lines):
                characters += len(paragraph)
                placed.append((top, _paragraph(paragraph)))
            blocks.extend(block for _, block in sorted(placed, key=lambda item: item[0]))
    if characters < MIN_TEXT_CHARS:
        return Extracted(None, extractor, "image only: needs OCR (the PDF has no text layer)")
    blocks = [b for b in blocks if b]
    return Extracted(_page_html(re.sub(r"<[^>]+>", "", blocks[0]) if blocks else "", blocks), extractor)


def _ruled_tables(page: object, pdf_page: object, height: float) -> list:
    """The page's ruled tables (pdfplumber's table finder), on the rulings pypdfium2 lists.

    Browsers, Word and WPS draw table borders as thin rectangles or straight lines; their boxes are the
    edges, given to pdfplumber as explicit lines, so pdfminer's layout analysis of every character (most of
    the time a PDF takes) is skipped. A page drawn with other paths (curves, polylines) gets pdfplumber's own
    analysis; a page without paths has no ruled table.
    """
    import pypdfium2.raw as pdfium_c

    edges = []
    for path in pdf_page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH]):  # type: ignore[attr-defined]
        if pdfium_c.FPDFPath_CountSegments(path.raw) > 5:
            return page.find_tables()  # type: ignore[attr-defined]
        left, bottom, right, top = path.get_bounds()
        half = _stroke_width(path) / 2  # the bounds include the stroke; the ruling is its middle
        edges.extend(_box_edges(left + half, height - top + half, right - half, height - bottom - half))
    if not edges:
        return []
    edges += _closing_edges(edges)
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": [e for e in edges if e["orientation"] == "v"] or [0, 0],
        "explicit_horizontal_lines": [e for e in edges if e["orientation"] == "h"] or [0, 0],
    }
    return page.find_tables(settings)  # type: ignore[attr-defined]


def _closing_edges(edges: list[dict]) -> list[dict]:
    """A horizontal edge across the rulings that end at the top or bottom of the page's tables.

    A table cut by a page break is drawn on each page without the border of the row it cuts: a cell that
    continues (a rowspan label such as 三、本年度办理结果) would not close, and its column would be lost from
    both parts. Where vertical rulings end at the lowest (or highest) point any ruling reaches, one edge is
    drawn across them; a table that is not cut already has its border there, and the edge merges with it.
    """
    vertical = [e for e in edges if e["orientation"] == "v"]
    if not vertical:
        return []
    added = []
    for end, extreme in (("top", min(e["top"] for e in vertical)), ("bottom", max(e["bottom"] for e in vertical))):
        group = [e for e in vertical if abs(e[end] - extreme) <= 1.5]
        if len(group) >= 2:
            added.extend(_box_edges(min(e["x0"] for e in group), extreme, max(e["x0"] for e in group), extreme))
    return added


def _stroke_width(path: object) -> float:
    """The width of a stroked path's line (0 for a path that is only filled)."""
    import ctypes

    import pypdfium2.raw as pdfium_c

    fill_mode, stroked = ctypes.c_int(), ctypes.c_int()
    pdfium_c.FPDFPath_GetDrawMode(path.raw, ctypes.byref(fill_mode), ctypes.byref(stroked))  # type: ignore[attr-defined]
    if not stroked.value:
        return 0.0
    width = ctypes.c_float()
    pdfium_c.FPDFPageObj_GetStrokeWidth(path.raw, ctypes.byref(width))  # type: ignore[attr-defined]
    return float(width.value)


def _box_edges(x0: float, top: float, x1: float, bottom: float) -> list[dict]:
    """A drawn box as ruling edges: a thin one is one line, a larger one its four sides."""

    def edge(orientation: str, ex0: float, etop: float, ex1: float, ebottom: float) -> dict:
        return {
            "object_type": "rect_edge",
            "orientation": orientation,
            "x0": ex0,
            "x1": ex1,
            "top": etop,
            "bottom": ebottom,
            "doctop": etop,
            "width": ex1 - ex0,
            "height": ebottom - etop,
        }

    if x1 - x0 <= 3:
        middle = (x0 + x1) / 2
        return [edge("v", middle, top, middle, bottom)]
    if bottom - top <= 3:
        middle = (top + bottom) / 2
        return [edge("h", x0, middle, x1, middle)]
    return [
        edge("h", x0, top, x1, top),
        edge("h", x0, bottom, x1, bottom),
        edge("v", x0, top, x0, bottom),
        edge("v", x1, top, x1, bottom),
    ]


@dataclass(frozen=True)
class _Line:
    text: str
    top: float  # pdfplumber's coordinates: from the top of the page
    bottom: float
    left: float
    right: float


_Char = tuple[str, tuple[float, float, float, float]]  # a character and its box (left, bottom, right, top)


def _page_chars(text_page: object) -> list[_Char]:
    """Every character of the page in reading order (line breaks included), with its box in PDF units."""
    count = text_page.count_chars()  # type: ignore[attr-defined]
    text = text_page.get_text_range(0, count)  # type: ignore[attr-defined]
    return [(ch, text_page.get_charbox(index)) for index, ch in enumerate(text[:count])]  # type: ignore[attr-defined]


def _pdf_lines(page_chars: list[_Char], height: float, page: int = 0) -> list[_Line]:
    """The page's text lines as pypdfium2 reads them (reading order, real code points), with their boxes."""
    lines: list[_Line] = []
    chars: list[tuple[str, tuple[float, float, float, float]]] = []

    def flush() -> None:
        boxes = [box for ch, box in chars if not ch.isspace()]
        line = "".join(ch for ch, _ in chars).strip()
        if line and boxes:
            lines.append(
                _Line(
                    line,
                    height - max(b[3] for b in boxes),
                    height - min(b[1] for b in boxes),
                    min(b[0] for b in boxes),
                    max(b[2] for b in boxes),
                )
            )
        chars.clear()

    for ch, box in page_chars:
        if ch in "\r\n":
            flush()
        else:
            chars.append((ch, box))
    flush()
    return [line for index, line in enumerate(lines) if not _is_page_number(line, index, len(lines), height, page)]


def _is_page_number(line: _Line, index: int, count: int, height: float, page: int) -> bool:
    """A page number: the first or last line, in the top or bottom tenth of the page, "- 4 -" or "第4页"; or a
    bare number there that is this page's number (counted from 0 or 1), so a table cell printed alone on the
    page's last line is kept."""
    match = _PAGE_NUMBER.match(line.text)
    at_margin = index in (0, count - 1) and (line.bottom < 0.1 * height or line.top > 0.9 * height)
    if not match or not at_margin:
        return False
    bare = line.text.strip()
    return not bare.isdigit() or int(bare) in (page, page + 1)


def _inside_any(line: _Line, tables: list) -> bool:
    middle = (line.top + line.bottom) / 2
    return any(t.bbox[1] <= middle <= t.bbox[3] and t.bbox[0] - 2 <= line.left <= t.bbox[2] for t in tables)


def _paragraphs(lines: list[_Line]) -> list[tuple[float, str]]:
    """Lines joined where the page, not the author, broke them.

    A line from the left margin (or an indent) to the right edge of the page's text (within two of its
    characters) continues on the next one, unless it ends a sentence, or the next begins a numbered heading or
    is set in another size (a title above its text); a shorter or right-aligned line ends its paragraph.
    Each paragraph comes with its top.
    """
    if not lines:
        return []
    right = max(line.right for line in lines)
    left = min(line.left for line in lines)
    out: list[tuple[float, str]] = []
    current, top, previous_size = "", 0.0, 0.0
    for line in lines:
        size = line.bottom - line.top
        other_font = abs(size - previous_size) > 0.2 * max(size, previous_size)  # a title above its text
        if current and (_LINE_START_HEADING.match(line.text) or other_font):
            out.append((top, current))
            current = ""
        previous_size = size
        if not current:
            top = line.top
        current += line.text
        # a full line begins at the margin (or a paragraph's indent): a right-aligned signature only ends there
        full = line.right >= right - 2 * size and line.left <= left + 3 * size
        if not full or _SENTENCE_END.search(line.text):
            out.append((top, current))
            current = ""
    if current:
        out.append((top, current))
    return out


def _pdf_cells(table: object, page_chars: list[_Char], height: float) -> list[_Cell]:
    """A ruled table's cells with spans: a cell's box covering several column or row boundaries spans them.

    A cell's text is the characters whose centre lies in its box, in reading order: a neighbour's wrapped
    header that touches the border stays the neighbour's.
    """
    boxes = [box for box in table.cells]  # type: ignore[attr-defined]
    xs = sorted({round(b[0], 1) for b in boxes} | {round(b[2], 1) for b in boxes})
    ys = sorted({round(b[1], 1) for b in boxes} | {round(b[3], 1) for b in boxes})
    centres = [
        (ch, (box[0] + box[2]) / 2, height - (box[1] + box[3]) / 2) for ch, box in page_chars if ch not in "\r\n"
    ]
    cells = []
    for x0, top, x1, bottom in boxes:
        column = xs.index(round(x0, 1))
        row = ys.index(round(top, 1))
        colspan = max(1, xs.index(round(x1, 1)) - column)
        rowspan = max(1, ys.index(round(bottom, 1)) - row)
        text = "".join(ch for ch, x, y in centres if x0 <= x <= x1 and top <= y <= bottom)
        cells.append(_Cell(row, column, re.sub(r"\s+", " ", text).strip(), rowspan=rowspan, colspan=colspan))
    return cells
