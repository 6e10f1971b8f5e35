"""The parser on the development set (reports rendered independently of the project): every printed cell.

The set lives in ``../shared/corpus/devset`` beside the checkout (as in CI); without it these tests skip.
A cell left NULL where a number was printed counts as a miss; a number other than the printed one fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.devset import score_parser
from tests.gold import ROOT

DEVSET = ROOT.parent / "shared" / "corpus" / "devset"


@pytest.mark.parametrize("folder", ["tables", "mixed"])
def test_devset_cells_are_read_exactly(folder: str) -> None:
    path: Path = DEVSET / folder
    if not path.is_dir():
        pytest.skip(f"no development set at {path}")
    result = score_parser(path, keep_misses=20)
    assert result.groups["all"]["wrong"] == 0, result.misses
    assert result.groups["all"]["guessed"] == 0, result.misses
    assert result.exact_share("all") >= 99.5, result.table()
    assert result.exact_share("non-zero") >= 99.5, result.table()
    for group in result.groups:
        if group.startswith("rendering "):
            floor = 99.0 if group == "rendering concat" else 99.5
            assert result.exact_share(group) >= floor, result.table()
