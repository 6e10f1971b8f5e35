"""The Data Docs assets kept in the repository are the files recorded, and a page GX writes becomes local."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest

from orchestration.warehouse.data_docs import ASSETS_DIR, make_offline

PAGE = """<html><head>
<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css">
<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>
<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>
<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js" integrity="sha384-x"
 crossorigin="anonymous"></script>
<link rel="icon" href="../static/images/favicon.ico">
{extra}
</head><body><img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1"></body></html>
"""


def test_every_kept_asset_is_the_file_its_row_records() -> None:
    with (ASSETS_DIR / "assets.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["npm_package"]]
    assert len(rows) >= 20
    for row in rows:
        data = (ASSETS_DIR / row["local_path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"], row["local_path"]
        assert row["licence"], row["local_path"]


def _site(tmp_path: Path, extra: str = "") -> Path:
    site = tmp_path / "site"
    (site / "validations" / "suite").mkdir(parents=True)
    (site / "static" / "images").mkdir(parents=True)
    (site / "static" / "images" / "logo-long.png").write_bytes(b"png")
    (site / "index.html").write_text(PAGE.format(extra=extra), encoding="utf-8")
    (site / "validations" / "suite" / "run.html").write_text(PAGE.format(extra=extra), encoding="utf-8")
    return site


def test_make_offline_points_pages_at_local_copies_at_their_depth(tmp_path: Path) -> None:
    site = _site(tmp_path)
    summary = make_offline(site)
    assert (summary.pages, summary.remote) == (2, ())
    deep = (site / "validations" / "suite" / "run.html").read_text(encoding="utf-8")
    assert 'src="../../static/vendor/jquery-3.7.1/jquery.min.js"' in deep
    assert 'src="../../static/images/logo-long.png"' in deep
    assert 'href="../../static/images/favicon.ico"' in deep  # GX writes some pages' favicon one level short
    assert "vega" not in deep and "integrity" not in deep and "crossorigin" not in deep
    top = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="static/vendor/bootstrap-4.3.1/bootstrap.min.css"' in top
    assert (site / "static" / "vendor" / "jquery-3.7.1" / "jquery.min.js").is_file()


def test_an_address_the_list_lacks_is_reported_as_still_remote(tmp_path: Path) -> None:
    site = _site(tmp_path, '<script src="https://unpkg.com/new-library@2/x.js"></script>')
    assert make_offline(site).remote == ("https://unpkg.com/new-library@2/x.js",)


def test_a_missing_kept_file_fails_loudly(tmp_path: Path) -> None:
    assets = tmp_path / "assets"
    shutil.copytree(ASSETS_DIR, assets)
    (assets / "jquery-3.7.1" / "jquery.min.js").unlink()
    with pytest.raises(FileNotFoundError, match=r"jquery\.min\.js"):
        make_offline(_site(tmp_path), assets)
