"""The literal prefilter of the prose rules (maps/prose_rules.csv ``requires``) never loses a figure."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from orchestration.parsing import prose
from orchestration.parsing.decode import decode_report_bytes
from orchestration.parsing.normalize import normalize_report
from orchestration.synthetic.corpus import generate
from tests import gold


def _texts(tmp_path: Path) -> list[str]:
    paths = [g.raw_path for g in gold.all_gold()]
    paths += [tmp_path / e.file for e in generate(tmp_path, 60, seed=5)]
    out = []
    for path in paths:
        decoded = decode_report_bytes(path.read_bytes(), path.suffix).text or ""
        out.append(normalize_report(decoded, path.suffix in (".html", ".htm")).text)
    return out


def test_prefiltered_rules_find_exactly_what_unfiltered_rules_find(tmp_path: Path, monkeypatch) -> None:
    texts = _texts(tmp_path)
    filtered = [prose.extract_prose_figures(text) for text in texts]
    unfiltered_rules = tuple(dataclasses.replace(rule, requires=()) for rule in prose.prose_rules())
    monkeypatch.setattr(prose, "prose_rules", lambda: unfiltered_rules)
    assert [prose.extract_prose_figures(text) for text in texts] == filtered
    assert sum(map(len, filtered)) > 100


@pytest.mark.parametrize("rule", prose.prose_rules(), ids=lambda r: r.rule_id)
def test_each_required_literal_is_written_in_its_pattern(rule: prose.ProseRule) -> None:
    for literal in rule.requires:
        assert literal in rule.pattern.pattern, (rule.rule_id, literal)


def test_a_rule_whose_literal_is_absent_is_not_run() -> None:
    rule = next(r for r in prose.prose_rules() if r.rule_id == "legacy_granted")
    assert not rule.may_match("本年度予以公开12件。")
    assert rule.may_match("同意公开12件。")
