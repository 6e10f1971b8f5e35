"""PDF, Word and Excel reports made by real engines from real reports are read to the gold of those reports.

The fixtures (``tests/fixtures/documents``, written by ``tests/fixtures/make_documents.py``) are the real
corpus reports 012 (prose, with its 统计表), 013 (fmt2019), 015 and 017 (fmt2021) as their sites show them,
printed to PDF by headless Chromium, written to Word by python-docx with the template's merged cells, or their
statistics written to an Excel sheet by openpyxl (.xlsx) or xlwt (.xls). Every cell of tables 二, 三 and 四 must
equal the gold, a prose report's figures those of its text version; publisher, year and template must be the
text version's.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from orchestration.parsing.decode import decode_report_bytes
from orchestration.parsing.documents import document_kind, extract_document, extract_with_time_limit
from orchestration.parsing.report import ParsedReport, parse_report
from tests import gold

DOCUMENTS = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
FIXTURES = sorted(DOCUMENTS.glob("*.*"))
GOLD_BY_STEM = {g.raw_path.stem: g for g in gold.all_gold()}
TEMPLATE_FIXTURES = [p for p in FIXTURES if GOLD_BY_STEM[p.stem].data.get("table3")]
PROSE_FIXTURES = [p for p in FIXTURES if not GOLD_BY_STEM[p.stem].data.get("table3")]


def _read(path: Path) -> tuple[ParsedReport, str]:
    decoded = decode_report_bytes(path.read_bytes(), path.suffix, extract=extract_document)
    assert decoded.text is not None, decoded.rejection
    return parse_report(path.name, decoded.text, path.name), decoded.encoding or ""


def _text_version(report: gold.GoldReport) -> ParsedReport:
    decoded = decode_report_bytes(report.raw_path.read_bytes(), ".txt")
    return parse_report(report.name, decoded.text or "", report.raw_path.name)


def test_there_are_pdf_and_word_fixtures_of_both_templates_and_of_prose() -> None:
    assert {p.suffix for p in FIXTURES} == {".pdf", ".docx", ".xlsx", ".xls"}
    assert {GOLD_BY_STEM[p.stem].template_version for p in TEMPLATE_FIXTURES} == {"fmt2019", "fmt2021"}
    assert {p.suffix for p in PROSE_FIXTURES} == {".pdf", ".docx"}


@pytest.mark.parametrize("path", PROSE_FIXTURES, ids=lambda p: p.name)
def test_a_prose_report_gives_the_figures_and_statistics_of_its_text_version(path: Path) -> None:
    # the PDF wraps the body's long paragraphs at the page width: joined again, the sentences read the same
    parsed, _ = _read(path)
    text = _text_version(GOLD_BY_STEM[path.stem])
    assert parsed.parse_status == text.parse_status == "parsed"
    assert sorted((f.field, f.value) for f in parsed.figures) == sorted((f.field, f.value) for f in text.figures)
    assert len(parsed.figures) >= 4
    cells = sorted((c.table_code, c.row_code, c.column_code, c.value) for c in parsed.cells)
    assert cells == sorted((c.table_code, c.row_code, c.column_code, c.value) for c in text.cells)


@pytest.mark.parametrize("path", TEMPLATE_FIXTURES, ids=lambda p: p.name)
def test_every_table_cell_equals_the_gold(path: Path) -> None:
    report = GOLD_BY_STEM[path.stem]
    parsed, _ = _read(path)
    assert parsed.parse_status == "parsed", parsed.parse_message
    table3 = {(c.row_code, c.column_code): c.value for c in parsed.cells if c.table_code == "table3"}
    assert table3 == gold.table3_cells(report)
    table4 = {c.column_code: c.value for c in parsed.cells if c.table_code == "table4"}
    assert table4 == gold.table4_cells(report)
    table2 = {(c.row_code, c.column_code): c.value for c in parsed.cells if c.table_code == "table2"}
    expected2 = gold.table2_cells(report)
    assert {k: table2.get(k, "missing") for k in expected2} == expected2


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_the_document_names_the_same_report_as_its_text_version(path: Path) -> None:
    parsed, extractor = _read(path)
    text = _text_version(GOLD_BY_STEM[path.stem])
    assert (parsed.agency_name, parsed.region_code, parsed.report_year, parsed.template_version) == (
        text.agency_name,
        text.region_code,
        text.report_year,
        text.template_version,
    )
    prefixes = {
        ".pdf": "pdf: pypdfium2 ",
        ".docx": "docx: python-docx ",
        ".xlsx": "xlsx: python-calamine ",
        ".xls": "xls: python-calamine ",
    }
    assert extractor.startswith(prefixes[path.suffix])


def test_a_title_wrapped_by_the_page_is_one_line_again() -> None:
    extracted = extract_document((DOCUMENTS / "015_pingtan_zone_2021.pdf").read_bytes(), "pdf")
    assert extracted.html is not None
    # the title wraps after 年度报 in the printed page; the paragraph is one again
    assert "<p>平潭综合实验区2021年度政府信息公开工作年度报告</p>" in extracted.html


def _docx_without_tables() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("某某县2022年政府信息公开工作年度报告")
    document.add_paragraph("本报告统计期限为2022年1月1日至12月31日。本年度主动公开政府信息52条。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_file_without_tables_is_read_as_prose() -> None:
    decoded = decode_report_bytes(_docx_without_tables(), ".docx", extract=extract_document)
    assert decoded.text is not None and "本年度主动公开政府信息52条" in decoded.text


@pytest.mark.parametrize(
    ("raw", "suffix", "reason"),
    [
        (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF", ".pdf", "unreadable PDF"),
        (b"PK\x03\x04" + b"\x00" * 64, ".docx", "a ZIP archive that is not a Word"),
        (bytes.fromhex("d0cf11e0a1b11ae1") + "WordDocument".encode("utf-16-le") + b"\x00" * 64, ".doc",
         "a Word 97-2003 .doc file"),
        ("平潭县2021年政府信息公开工作年度报告".encode(), ".docx", "named .docx but its content is not a docx file"),
    ],
)  # fmt: skip
def test_bad_documents_are_rejected_with_a_clear_reason(raw: bytes, suffix: str, reason: str) -> None:
    decoded = decode_report_bytes(raw, suffix, extract=extract_document)
    assert decoded.text is None
    assert reason in (decoded.rejection or ""), decoded.rejection


def test_a_corrupt_word_file_gives_its_reason() -> None:
    good = _docx_without_tables()
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[: len(data) // 3] if item.filename == "word/document.xml" else data)
    extracted = extract_document(broken.getvalue(), "docx")
    assert extracted.html is None
    assert (extracted.rejection or "").startswith("docx file could not be read")


def test_the_kind_comes_from_the_content_not_the_name() -> None:
    pdf = (DOCUMENTS / "015_pingtan_zone_2021.pdf").read_bytes()
    assert document_kind(pdf) == "pdf"
    assert document_kind((DOCUMENTS / "015_pingtan_zone_2021.docx").read_bytes()) == "docx"
    assert document_kind("平潭县".encode()) is None
    decoded = decode_report_bytes(pdf, ".txt", extract=extract_document)  # a PDF saved under a .txt name
    assert decoded.encoding is not None and decoded.encoding.startswith("pdf: ")


def test_an_extraction_over_its_time_limit_is_stopped_with_its_reason() -> None:
    # a limit far below what starting the worker takes: the worker is killed, the file gets its reason
    pdf = (DOCUMENTS / "015_pingtan_zone_2021.pdf").read_bytes()
    started = time.monotonic()
    extracted = extract_with_time_limit(pdf, "pdf", seconds=0.05)
    assert time.monotonic() - started < 15
    assert extracted.html is None
    assert extracted.rejection == "pdf extraction did not finish within 0.05 s"
    # the next document gets a fresh worker
    assert extract_with_time_limit(pdf, "pdf", seconds=120).html is not None


def _blank_pdf(pages: int) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_pdf_without_a_text_layer_is_refused_as_needing_ocr() -> None:
    decoded = decode_report_bytes(_blank_pdf(2), ".pdf", extract=extract_document)
    assert decoded.rejection == "image only: needs OCR (the PDF has no text layer)"


def test_a_300_page_pdf_is_refused_unread_with_its_page_count() -> None:
    started = time.monotonic()
    decoded = decode_report_bytes(_blank_pdf(300), ".pdf", extract=extract_document)
    assert decoded.rejection == "a PDF of 300 pages: more than an annual report has (limit 80)"
    assert time.monotonic() - started < 10


def test_a_page_drawn_with_other_paths_falls_back_to_pdfplumbers_own_analysis(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # rulings drawn as polylines (more than a rectangle's five segments) are left to pdfminer's layout
    import pypdfium2.raw as pdfium_c

    monkeypatch.setattr(pdfium_c, "FPDFPath_CountSegments", lambda _path: 12)
    path = DOCUMENTS / "015_pingtan_zone_2021.pdf"
    parsed, _ = _read(path)
    table3 = {(c.row_code, c.column_code): c.value for c in parsed.cells if c.table_code == "table3"}
    assert table3 == gold.table3_cells(GOLD_BY_STEM[path.stem])


def test_a_password_protected_pdf_is_refused_with_that_reason() -> None:
    import pikepdf

    with pikepdf.open(io.BytesIO(_blank_pdf(1))) as plain:
        buffer = io.BytesIO()
        plain.save(buffer, encryption=pikepdf.Encryption(user="secret", owner="owner", R=6))
    decoded = decode_report_bytes(buffer.getvalue(), ".pdf", extract=extract_document)
    assert decoded.rejection == "password-protected PDF"


def _chars(*lines: tuple[str, float]) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Page characters of text lines at given heights (PDF units from the bottom of an 842-unit page)."""
    out = []
    for text, baseline in lines:
        out += [(ch, (50 + 10 * i, baseline, 60 + 10 * i, baseline + 10)) for i, ch in enumerate(text)]
        out += [("\r", (0, 0, 0, 0)), ("\n", (0, 0, 0, 0))]
    return out


@pytest.mark.parametrize(
    ("last_line", "page", "kept"),
    [
        ("- 3 -", 2, False),  # a decorated page number at the foot of the page
        ("第3页", 2, False),
        ("3", 2, False),  # the third page's bare number (pages counted from 0 here)
        ("0", 2, True),  # a table cell printed alone on the page's last line
        ("15", 2, True),
    ],
)
def test_page_numbers_are_dropped_but_a_cell_on_the_last_line_is_kept(last_line: str, page: int, kept: bool) -> None:
    from orchestration.parsing.documents import _pdf_lines

    lines = _pdf_lines(_chars(("一、本年新收政府信息公开申请数量", 700.0), (last_line, 40.0)), 842.0, page)
    assert [line.text for line in lines][-1:] == ([last_line] if kept else ["一、本年新收政府信息公开申请数量"])


def test_word_content_controls_are_read_with_the_rest_of_the_body() -> None:
    # templates filled in Word or WPS wrap parts of the body in content controls (w:sdt)
    import docx
    from docx.oxml.ns import qn
    from lxml import etree

    document = docx.Document()
    document.add_paragraph("某某县2022年政府信息公开工作年度报告")
    inner = document.add_paragraph("本年度主动公开政府信息52条。")
    sdt = etree.SubElement(document.element.body, qn("w:sdt"))
    content = etree.SubElement(sdt, qn("w:sdtContent"))
    content.append(inner._p)  # the paragraph moves inside the control
    document.element.body.append(document.element.body.find(qn("w:sectPr")))  # keep sectPr last
    buffer = io.BytesIO()
    document.save(buffer)
    extracted = extract_document(buffer.getvalue(), "docx")
    assert extracted.html is not None and "<p>本年度主动公开政府信息52条。</p>" in extracted.html
