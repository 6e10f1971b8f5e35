"""The fast paths of normalization give exactly what the slow, obvious ones give."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from bench.synthetic.corpus import generate
from orchestration.parsing import normalize
from orchestration.parsing.decode import decode_report_bytes
from tests import gold

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _parsed_by_html_parser(html: str) -> str:
    extractor = normalize._TextExtractor()
    extractor.feed(html)
    extractor.close()
    return "".join(extractor.out)


def _fed_simply(html: str) -> str | None:
    extractor = normalize._TextExtractor()
    return "".join(extractor.out) if normalize._feed_simple_markup(extractor, html) else None


@pytest.mark.parametrize(
    "text",
    [
        "（一）收到申请１２件，“依申请公开”：",  # full-width forms
        "ｶﾞｷﾞ",  # half-width kana with a voiced mark: composes to one character under NFKC
        "cafe\u0301 ",  # a combining accent
        "\U0001d7cf\U0001d7d0件",  # mathematical digits beyond the BMP
        "㈠ ① ㎡ ﬁ Ⅻ \u3000 \xa0",
        "",
    ],
)
def test_to_nfkc_is_nfkc(text: str) -> None:
    assert normalize.to_nfkc(text) == unicodedata.normalize("NFKC", text)


def test_to_nfkc_is_nfkc_on_every_gold_report() -> None:
    for item in gold.all_gold():
        text = decode_report_bytes(item.raw_path.read_bytes(), item.raw_path.suffix).text or ""
        assert normalize.to_nfkc(text) == unicodedata.normalize("NFKC", text), item.raw_path.name


@pytest.mark.parametrize(
    "html",
    [
        "<p>a &amp; b</p>",
        '<TD COLSPAN="3">x</TD>',
        "<table><tr><td colspan=2>a</td><td>b</td></tr></table>",
        "<table><tr><th colspan='2' >h</th><td colspan=&#50;>m</td></tr></table>",
        "<br/>x<br>y<br />",  # self-closing: a start and an end tag
        "<br clear=all/>z",  # an unquoted value swallows the slash: not self-closing
        '<script>if(a<b){x="</div>"}</script>t<style>td{}</style>u<SCRIPT>x</SCRIPT >k',
        "<!-- a comment --><p>x</p>",
        "<p>x",
        '<div title="a>b">t</div><p\n class="x">y</p >',
        "&nbsp;&#20013;&#x4e2d;",
        '<!DOCTYPE html><html><head><title>t</title></head><body><img src="a.png"/></body></html>',
    ],
)
def test_simple_markup_is_read_as_html_parser_reads_it(html: str) -> None:
    assert _fed_simply(html) == _parsed_by_html_parser(html)


@pytest.mark.parametrize(
    "html",
    ["a < b", "</td foo>", "<!-- a -- b -->x", "<script>never closed", "<![CDATA[x]]>", "<?xml version='1.0'?>"],
)
def test_other_markup_goes_to_html_parser(html: str) -> None:
    assert _fed_simply(html) is None
    assert normalize.html_to_text(html) == _parsed_by_html_parser(html)


def test_html_pages_of_every_source_are_read_as_html_parser_reads_them(tmp_path: Path) -> None:
    pages = [FIXTURES / "rendered" / "015_pingtan_zone_2021.html"]
    pages += [tmp_path / e.file for e in generate(tmp_path, 200, seed=11) if e.file.endswith(".html")]
    assert len(pages) > 5
    for page in pages:
        html = decode_report_bytes(page.read_bytes(), page.suffix).text or ""
        assert _fed_simply(html) == _parsed_by_html_parser(html), page.name
