"""The code tables in the dbt docs come from the seeds: the generated page must match them."""

from __future__ import annotations

import importlib.util
import re

from tests.gold import ROOT


def _writer():
    spec = importlib.util.spec_from_file_location("write_code_docs", ROOT / "scripts" / "write_code_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_codes_page_is_up_to_date_with_the_seeds() -> None:
    writer = _writer()
    assert writer.TARGET.read_text(encoding="utf-8") == writer.render(), "run `make docs-source` after a seed edit"


def test_every_outcome_code_and_label_is_on_the_page() -> None:
    page = (ROOT / "dbt_project" / "models" / "docs" / "codes.md").read_text(encoding="utf-8")
    block = re.search(r"{% docs code_outcome_code %}(.*?){% enddocs %}", page, re.S).group(1)
    rows = (ROOT / "dbt_project" / "seeds" / "outcome_codes.csv").read_text(encoding="utf-8").splitlines()[1:]
    for row in rows:
        code, group, label = row.split(",")[:3]
        assert f"| `{code}` | {group} | {label} |" in block


def test_a_stale_page_is_detected(tmp_path, monkeypatch) -> None:
    writer = _writer()
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for csv_file in writer.SEEDS.glob("*.csv"):
        (seeds / csv_file.name).write_text(csv_file.read_text(encoding="utf-8"), encoding="utf-8")
    with (seeds / "review_results.csv").open("a", encoding="utf-8") as handle:
        handle.write("withdrawn,撤回,9\\n")
    monkeypatch.setattr(writer, "SEEDS", seeds)
    assert writer.TARGET.read_text(encoding="utf-8") != writer.render()
