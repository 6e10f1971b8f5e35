"""Fetch the scripts, styles and fonts GX Data Docs load from CDNs into expectations/data_docs_assets/.

GX writes Data Docs pages that load jQuery, Bootstrap, bootstrap-table and more from public CDNs: offline
they show unstyled links and no validation results. The files live in the repository instead (a pipeline run
needs no network) and `data_docs.make_offline` points the pages at them. This script is how they got there
and how to refresh them after a GX upgrade changes the list: it reads ``assets.csv`` (page URL → npm package,
version and file), downloads each package's tarball once from the npm registry, extracts the listed files and
writes their sha256 back into the CSV (a test checks the files against it).

Run: ``.venv/bin/python scripts/vendor_data_docs_assets.py`` (needs the npm registry, nothing else).
"""

from __future__ import annotations

import csv
import hashlib
import io
import sys
import tarfile
import urllib.request
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[1] / "expectations" / "data_docs_assets"
REGISTRY = "https://registry.npmjs.org"


def _tarball(package: str, version: str) -> tarfile.TarFile:
    name = package.rsplit("/", 1)[-1]
    url = f"{REGISTRY}/{package}/-/{name}-{version}.tgz"
    with urllib.request.urlopen(url, timeout=120) as response:
        return tarfile.open(fileobj=io.BytesIO(response.read()), mode="r:gz")


def main() -> int:
    """Extract every listed file, record its sha256; return 0."""
    manifest = ASSETS / "assets.csv"
    with manifest.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    tarballs: dict[tuple[str, str], tarfile.TarFile] = {}
    for row in rows:
        if not row["npm_package"]:  # a file GX writes itself, or a dropped tag
            continue
        key = (row["npm_package"], row["version"])
        if key not in tarballs:
            tarballs[key] = _tarball(*key)
        member = tarballs[key].extractfile(f"package/{row['file_in_package']}")
        if member is None:
            raise SystemExit(f"{row['file_in_package']} is not a file in {key}")
        data = member.read()
        target = ASSETS / row["local_path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        row["sha256"] = hashlib.sha256(data).hexdigest()
        print(f"{row['local_path']}: {len(data):,} bytes")
    with manifest.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
