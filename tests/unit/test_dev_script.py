"""`make dev` prints the lineage page with every asset group open, in the form the installed Dagster UI reads.

Opened at ``/asset-groups`` alone, Dagster 1.13 shows each group as one collapsed box. The page keeps its open
groups in the query parameter ``expanded`` (group ids ``global@global:<group>``); the UI bundle is minified
JavaScript, so the test reads it for those two names: a Dagster upgrade that renames them fails here, not
silently in front of a user. tests/integration/test_dagster_dev.py opens the printed page in a browser.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import dagster_webserver

from tests.gold import ROOT

_spec = importlib.util.spec_from_file_location("dev_script", ROOT / "scripts" / "dev.py")
assert _spec and _spec.loader
dev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(dev)


def _ui_bundle() -> str:
    chunks = Path(dagster_webserver.__file__).parent / "webapp" / "build" / "_next" / "static" / "chunks"
    return "\n".join(path.read_text(errors="replace") for path in sorted(chunks.rglob("*.js")))


def test_the_lineage_url_opens_every_asset_group_of_the_code_location() -> None:
    from orchestration.definitions import defs

    groups = sorted({spec.group_name for spec in defs.resolve_all_asset_specs() if spec.group_name})
    assert {"landing", "parsing", "staging", "intermediate", "marts", "quality", "reference", "publish"} <= set(groups)
    url = dev.lineage_url("http://127.0.0.1:3000", groups)
    parts = urlsplit(url)
    assert parts.path == "/asset-groups"
    (expanded,) = parse_qs(parts.query)["expanded"]
    assert expanded.split(",") == [f"global@global:{group}" for group in sorted(groups)]


def test_the_installed_dagster_ui_reads_open_groups_from_the_expanded_parameter() -> None:
    bundle = _ui_bundle()
    graph_state = bundle.find('localStorageKey:"asset-graph-open-graph-nodes-"')
    assert graph_state >= 0, "the asset graph no longer keeps its open groups under this key"
    assert "expanded:" in bundle[graph_state : graph_state + 300]
    assert '"global@global:".concat(' in bundle, "the UI names groups differently: fix dev.lineage_url"
