"""Bytes to text: detect the encoding of a raw report file, or say why it cannot be read.

Real crawls hold UTF-8 (with or without BOM), GB18030/GBK/GB2312 and occasionally UTF-16. The order of
attempts matters: short GBK snippets are often misread as cp949 by detectors, so strict UTF-8 and strict
GB18030 are tried before charset-normalizer, which is restricted to the encodings seen in the wild.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

MAX_REPORT_BYTES = 20 * 1024 * 1024
"""Files above this size are rejected unread: a real report is a few KB to a few hundred KB."""

REPORT_SUFFIXES = frozenset({".txt", ".html", ".htm", ".md"})


@dataclass(frozen=True)
class Decoded:
    """The outcome of decoding one file: text and encoding, or a rejection reason."""

    text: str | None
    encoding: str | None
    rejection: str | None = None


def _reject(reason: str) -> Decoded:
    return Decoded(text=None, encoding=None, rejection=reason)


def decode_report_bytes(raw: bytes, suffix: str) -> Decoded:
    """Decode a raw report file.

    Args:
        raw: the file's bytes as read from disk.
        suffix: the lower-case file suffix (".txt", ".html", ...), used to refuse other kinds of file.

    Returns:
        ``Decoded`` with the text and the encoding name, or with ``rejection`` set to a reason a person
        can act on (empty file, binary content, unknown encoding, unsupported file type).
    """
    if suffix not in REPORT_SUFFIXES:
        return _reject(f"unsupported file type '{suffix or '(none)'}': reports are .txt, .html, .htm or .md")
    if not raw.strip():
        return _reject("empty file")
    if len(raw) > MAX_REPORT_BYTES:
        return _reject(f"file is {len(raw)} bytes, over the {MAX_REPORT_BYTES}-byte limit for one report")
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
    if b"\x00" in raw[:4096]:
        return _reject("binary content (NUL bytes) with no UTF-16 byte-order mark: not a text report")
    for encoding in ("utf-8", "gb18030"):
        try:
            return Decoded(raw.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw, cp_isolation=["utf_8", "gb18030", "big5", "utf_16"]).best()
    if best is None:
        return _reject("undecodable: not UTF-8, GB18030, Big5 or UTF-16")
    return Decoded(str(best), best.encoding)
