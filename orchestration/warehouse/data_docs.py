"""GX Data Docs that work from disk, and the one page that links every document of a published build.

GX's pages load jQuery, Bootstrap, bootstrap-table, Font Awesome and more from public CDNs; offline (where
analysts here often work) they show unstyled links and an empty list of validations, because that list is
drawn by bootstrap-table. ``make_offline`` copies the files the repository keeps for them
(``expectations/data_docs_assets/``, listed with origin, licence and sha256 in ``assets.csv``) into the site
and points every page at them. ``publish_data_docs`` puts the site of a published build beside the published
file, and ``write_docs_index`` writes ``<warehouse>.html``: the warehouse, the static report, the dbt docs and
the Data Docs on one page.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from orchestration.settings import Settings

ASSETS_DIR = Path(__file__).resolve().parents[2] / "expectations" / "data_docs_assets"
VENDOR_DIR = Path("static") / "vendor"
SRI = re.compile(r'\s(?:integrity|crossorigin)="[^"]*"')
"""Subresource-integrity attributes: a browser refuses a file:// script that carries them (no CORS there)."""
SITE_STATIC = re.compile(r'\b(src|href)="(?:\.\./)*static/([^"]+)"')
"""A link into the site's own static/ folder (GX writes some validation pages' favicon one level short)."""
REMOTE_ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="(https?://[^"]+)"')


@dataclass(frozen=True)
class Asset:
    """One address a GX page loads and what replaces it (``None``: the tag is dropped)."""

    url: str
    site_path: Path | None
    repository_file: Path | None


@dataclass(frozen=True)
class OfflineSummary:
    """What ``make_offline`` changed: pages rewritten, files copied, addresses still remote (should be none)."""

    pages: int
    files: int
    remote: tuple[str, ...]


def read_assets(assets_dir: Path = ASSETS_DIR) -> list[Asset]:
    """The rows of ``assets.csv`` (format in the folder's README)."""
    with (assets_dir / "assets.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assets = []
    for row in rows:
        local = row["local_path"]
        if row["npm_package"]:
            assets.append(Asset(row["url"], VENDOR_DIR / local, assets_dir / local))
        else:
            assets.append(Asset(row["url"], Path(local) if local else None, None))
    return assets


def make_offline(site_dir: Path, assets_dir: Path = ASSETS_DIR) -> OfflineSummary:
    """Copy the kept assets into ``site_dir`` and point its pages at them instead of the CDNs.

    Args:
        site_dir: a Data Docs site as GX wrote it (``index.html`` at its root).
        assets_dir: the folder with ``assets.csv`` and the files it lists.

    Returns:
        Pages rewritten, files copied, and every remote script or style address left (none when the list in
        ``assets.csv`` covers what this GX version writes).
    """
    assets = read_assets(assets_dir)
    files = 0
    for asset in assets:
        if asset.repository_file is not None and asset.site_path is not None:
            target = site_dir / asset.site_path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(asset.repository_file, target)
            files += 1
    pages = sorted(site_dir.rglob("*.html"))
    remote: set[str] = set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for asset in assets:
            address = re.escape(asset.url) + r'(?:\?[^"]*)?'
            if asset.site_path is None:
                text = re.sub(rf'<script\b[^>]*\bsrc="{address}"[^>]*>\s*</script>\s*', "", text)
                continue
            local = Path(os.path.relpath(site_dir / asset.site_path, page.parent)).as_posix()
            text = re.sub(rf'"{address}"', f'"{local}"', text)
        static = Path(os.path.relpath(site_dir / "static", page.parent)).as_posix()
        text = SITE_STATIC.sub(lambda link, static=static: f'{link[1]}="{static}/{link[2]}"', text)
        text = re.sub(r"<(script|link)\b[^>]*>", lambda tag: SRI.sub("", tag[0]), text)
        remote.update(REMOTE_ASSET.findall(text))
        page.write_text(text, encoding="utf-8")
    return OfflineSummary(len(pages), files, tuple(sorted(remote)))


def publish_data_docs(site_dir: Path, published_dir: Path) -> Path | None:
    """Replace ``published_dir`` by a copy of ``site_dir`` (the build just published); its index or None.

    The work folder's site is rewritten by every run, the published one only when a build is published, so
    the index page never links checks of a build analysts do not have.
    """
    if not (site_dir / "index.html").is_file():
        return None
    staging = published_dir.with_name(f".{published_dir.name}.tmp")
    old = published_dir.with_name(f".{published_dir.name}.old")
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(site_dir, staging)
    if published_dir.exists():
        os.replace(published_dir, old)
    os.replace(staging, published_dir)
    shutil.rmtree(old, ignore_errors=True)
    return published_dir / "index.html"


@dataclass(frozen=True)
class Document:
    """One entry of the index page: what it is and where (a missing file says how to make it)."""

    title: str
    path: Path
    about: str
    made_by: str


def write_docs_index(index_path: Path, warehouse: Path, documents: list[Document]) -> Path:
    """Write the page that links the published warehouse's documents; return its path.

    Links are relative, so the folder can be copied or zipped whole and still work from disk.
    """
    items = []
    for document in documents:
        relative = Path(os.path.relpath(document.path, index_path.parent)).as_posix()
        if document.path.exists():
            link = f'<a href="{html.escape(relative)}">{html.escape(document.title)}</a>'
        else:
            link = f"{html.escape(document.title)} <em>(not written yet: {html.escape(document.made_by)})</em>"
        items.append(f"<li>{link}<br><span>{html.escape(document.about)}</span></li>")
    stamp = datetime.fromtimestamp(warehouse.stat().st_mtime, UTC) if warehouse.exists() else None
    published = f"published {stamp:%Y-%m-%d %H:%M} UTC" if stamp else "not published yet"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ogi-warehouse: {html.escape(warehouse.name)}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", sans-serif; max-width: 48em; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.5; }}
li {{ margin: .8em 0; }} span {{ color: #555; }} code {{ background: #f3f3f3; padding: 0 .2em; }}
</style></head><body>
<h1>ogi-warehouse</h1>
<p>The warehouse <code>{html.escape(str(warehouse))}</code>, {published}. Query it read-only with
<code>make sql</code> or any DuckDB client.</p>
<ul>
{chr(10).join(items)}
</ul>
</body></html>
"""
    index_path.parent.mkdir(parents=True, exist_ok=True)
    staging = index_path.with_name(f".{index_path.name}.tmp")
    staging.write_text(page, encoding="utf-8")
    os.replace(staging, index_path)
    return index_path


def published_documents(settings: Settings) -> list[Document]:
    """The documents of the build at ``settings.warehouse_path``, in the order an analyst reads them."""
    return [
        Document(
            "Static report",
            settings.static_report,
            "volumes by year and level, outcome mix, coverage, failing checks with each report's figures",
            "make run",
        ),
        Document(
            "Checks (GX Data Docs)",
            settings.published_gx_docs / "index.html",
            "every Great Expectations suite and its validation on this build: identities, soft checks, rules",
            "make run",
        ),
        Document(
            "Tables and columns (dbt docs)",
            settings.dbt_docs,
            "every published model with its grain, columns, tests and lineage",
            "make docs",
        ),
    ]


def refresh_published_docs(settings: Settings) -> Path:
    """Put the work folder's Data Docs beside the published file and rewrite the index; return the index."""
    publish_data_docs(settings.gx_docs_dir, settings.published_gx_docs)
    return write_docs_index(settings.docs_index, settings.warehouse_path, published_documents(settings))
