"""Encodings seen in the wild decode; files that are not text reports are rejected with a reason."""

from __future__ import annotations

import codecs

import pytest

from orchestration.parsing.decode import decode_report_bytes

TEXT = "平潭综合实验区2021年度政府信息公开工作年度报告"


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_real_world_encodings_decode_to_the_same_text(raw: bytes, encoding: str) -> None:
    decoded = decode_report_bytes(raw, ".txt")
    assert (decoded.text, decoded.encoding, decoded.rejection) == (TEXT, encoding, None)


@pytest.mark.parametrize(
    ("raw", "suffix", "reason"),
    [
        (b"", ".txt", "empty file"),
        (b"  \n ", ".txt", "empty file"),
        (b"\x00\x01\x02PNG\x00", ".txt", "binary content"),
        (TEXT.encode(), ".pdf", "named .pdf but its content is not a pdf file"),
        (TEXT.encode(), ".exe", "unsupported file type '.exe'"),
    ],
)
def test_unusable_files_are_rejected_with_a_reason(raw: bytes, suffix: str, reason: str) -> None:
    decoded = decode_report_bytes(raw, suffix)
    assert decoded.text is None
    assert reason in (decoded.rejection or "")
