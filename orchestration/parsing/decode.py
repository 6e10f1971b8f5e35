"""Bytes to text: detect the encoding of a raw report file, or say why it cannot be read.

Real crawls hold UTF-8 (with or without BOM), GB18030/GBK/GB2312 and occasionally UTF-16. The order of
attempts matters: short GBK snippets are often misread as cp949 by detectors, so strict UTF-8 and strict
GB18030 are tried before charset-normalizer, which is restricted to the encodings seen in the wild.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from orchestration.parsing.documents import DOCUMENT_KINDS, Extracted, document_kind, extract_with_time_limit

MAX_REPORT_BYTES = 20 * 1024 * 1024
"""Files above this size are rejected unread: a real report is a few KB to a few hundred KB."""

TEXT_SUFFIXES = frozenset({".txt", ".html", ".htm", ".md"})
DOCUMENT_SUFFIXES = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".xls": "xls", ".doc": "doc"}
REPORT_SUFFIXES = TEXT_SUFFIXES | frozenset(DOCUMENT_SUFFIXES)


@dataclass(frozen=True)
class Decoded:
    """The outcome of decoding one file: text and encoding, or a rejection reason."""

    text: str | None
    encoding: str | None
    rejection: str | None = None


_SIGNATURES_FILE = Path(__file__).resolve().parents[1] / "maps" / "file_signatures.csv"
_MOJIBAKE = re.compile(r"[\u00c0-\u00ff][\u0080-\u00bf\u2000-\u206f\u0152-\u02dc]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@cache
def _signatures() -> tuple[tuple[bytes, str], ...]:
    """Magic numbers of file types that crawlers save under a .txt/.html name (``maps/file_signatures.csv``)."""
    with _SIGNATURES_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple((bytes.fromhex(r["magic_hex"]), r["message"]) for r in csv.DictReader(handle))


def _repair_mojibake(text: str) -> str | None:
    """UTF-8 read as Latin-1/cp1252 somewhere upstream ("æ”¿åºœ" for "政府"): undo it if that gives Chinese."""
    if _CJK.search(text[:2000]) or len(_MOJIBAKE.findall(text[:4000])) < 5:
        return None
    for wrong in ("cp1252", "latin-1"):
        try:
            repaired = text.encode(wrong).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if len(_CJK.findall(repaired)) > len(repaired) // 10:
            return repaired
    return None


def _as_utf16(raw: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark, recognised by what it decodes to: mostly Chinese and plain text."""
    sample = raw[: min(len(raw), 8000) // 2 * 2]
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        plausible = sum(1 for ch in text if _CJK.match(ch) or ch.isprintable() or ch.isspace())
        if len(text) >= 16 and len(_CJK.findall(text)) > len(text) * 0.2 and plausible > len(text) * 0.95:
            try:
                return raw[: len(raw) // 2 * 2].decode(encoding), encoding
            except UnicodeDecodeError:
                return None
    return None


def _reject(reason: str) -> Decoded:
    return Decoded(text=None, encoding=None, rejection=reason)


def decode_report_bytes(
    raw: bytes, suffix: str, extract: Callable[[bytes, str], Extracted] = extract_with_time_limit
) -> Decoded:
    """Decode a raw report file, or extract the text of a PDF, Word or Excel document.

    Args:
        raw: the file's bytes as read from disk.
        suffix: the lower-case file suffix (".txt", ".pdf", ...), used to refuse other kinds of file.
        extract: how a document is read (by default in a worker process with a time limit).

    Returns:
        ``Decoded`` with the text and the encoding name (for a document: its HTML and the extractor with its
        version), or with ``rejection`` set to a reason a person can act on (empty file, binary content,
        unknown encoding, unsupported file type, a scanned PDF).
    """
    if suffix not in REPORT_SUFFIXES:
        return _reject(
            f"unsupported file type '{suffix or '(none)'}': reports are .txt, .html, .htm, .md, .pdf, .docx, "
            ".xlsx or .xls"
        )
    if not raw.strip():
        return _reject("empty file")
    if len(raw) > MAX_REPORT_BYTES:
        return _reject(f"file is {len(raw)} bytes, over the {MAX_REPORT_BYTES}-byte limit for one report")
    kind = document_kind(raw)  # the content decides, whatever the name says
    if kind in DOCUMENT_KINDS:
        extracted = extract(raw, kind)
        if extracted.rejection:
            return _reject(extracted.rejection)
        return Decoded(extracted.html, extracted.extractor)
    if kind == "doc":
        return _reject(
            "a Word 97-2003 .doc file: no converter for it installs with the project; save it as .docx or PDF"
        )
    if suffix in DOCUMENT_SUFFIXES and kind is None:
        return _reject(f"named {suffix} but its content is not a {DOCUMENT_SUFFIXES[suffix]} file")
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return Decoded(raw[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError:
            return _reject("starts with a UTF-8 byte-order mark but is not valid UTF-8")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(raw.decode("utf-16"), "utf-16")
        except UnicodeDecodeError:
            return _reject("starts with a UTF-16 byte-order mark but is not valid UTF-16")
    for magic, message in _signatures():
        if raw.startswith(magic):
            return _reject(message)
    try:
        strict_utf8: str | None = raw.decode("utf-8")
    except UnicodeDecodeError:
        strict_utf8 = None
    if strict_utf8 is None or b"\x00" in raw[:4096]:
        utf16 = _as_utf16(raw)
        if utf16:
            return Decoded(utf16[0], utf16[1])
    if b"\x00" in raw[:4096]:
        return _reject("binary content (NUL bytes), not UTF-16 text either: not a text report")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = strict_utf8 if encoding == "utf-8" and strict_utf8 is not None else raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        repaired = _repair_mojibake(text)
        if repaired is not None:
            return Decoded(repaired, f"{encoding} (mojibake repaired)")
        return Decoded(text, encoding)
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=["utf_8", "gb18030", "big5", "utf_16"]).best()
    if best is None:
        return _reject("undecodable: not UTF-8, GB18030, Big5 or UTF-16")
    return Decoded(str(best), best.encoding)
