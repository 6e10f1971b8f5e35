"""The literal prefilter of the prose rules (maps/prose_rules.csv ``requires``) finds what whole-text scans find."""

from __future__ import annotations

import bisect
import dataclasses
from pathlib import Path

import pytest

from bench.synthetic.corpus import generate
from orchestration.parsing import prose
from orchestration.parsing.decode import decode_report_bytes
from orchestration.parsing.normalize import normalize_report
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


def test_rules_run_per_sentence_find_the_whole_text_matches_that_lie_in_one_sentence(tmp_path: Path) -> None:
    """Running each rule on its literals' sentences finds what one scan of the whole text finds in a sentence."""
    compared = 0
    for text in _texts(tmp_path):
        sentences = [(m.start(), m.end()) for m in prose._SENTENCE.finditer(text)]
        starts = [start for start, _ in sentences]
        holding_literals = prose.rule_sentences(text, starts)
        for rule in prose.prose_rules():
            whole = []
            for match in rule.pattern.finditer(text):
                index = bisect.bisect_right(starts, match.start()) - 1
                if index >= 0 and match.end() <= sentences[index][1]:
                    whole.append(match.span())
            per_sentence = [
                match.span()
                for index in (holding_literals.get(rule.rule_id, []) if rule.requires else range(len(sentences)))
                for match in rule.pattern.finditer(text, *sentences[index])
            ]
            assert per_sentence == whole, rule.rule_id
            compared += len(whole)
    assert compared > 100


@pytest.mark.parametrize("rule", prose.prose_rules(), ids=lambda r: r.rule_id)
def test_each_required_literal_is_written_in_its_pattern(rule: prose.ProseRule) -> None:
    for literal in rule.requires:
        assert literal in rule.pattern.pattern, (rule.rule_id, literal)


def test_a_rule_runs_only_on_the_sentences_holding_its_literal() -> None:
    rule = next(r for r in prose.prose_rules() if r.rule_id == "legacy_granted")
    text = "本年度予以公开12件。同意公开3件,另有同意公开2件!共计5件。\n同意公开1件"
    starts = [m.start() for m in prose._SENTENCE.finditer(text)]
    assert prose.rule_sentences(text, starts)[rule.rule_id] == [1, 3]
    assert rule.rule_id not in prose.rule_sentences("本年度予以公开12件。", [0])
