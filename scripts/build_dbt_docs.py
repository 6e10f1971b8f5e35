"""Write the dbt docs of the published warehouse as one HTML file beside it (``make docs``).

The catalog (column types, row counts) is read from a private copy of the published file, never from the
build database: a refresh may be writing that one, and the docs must describe what analysts actually open.
The copy is named like the build database so the manifest's database name matches it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from orchestration.dbt_project import DBT_EXECUTABLE
from orchestration.settings import DBT_PROJECT_DIR, load_settings
from orchestration.warehouse.data_docs import published_documents, write_docs_index


def main() -> int:
    """Generate the one-file docs site; print where it is."""
    settings = load_settings()
    if not settings.warehouse_path.exists():
        print(f"no warehouse at {settings.warehouse_path}: run `make run` first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="ogi-docs-") as scratch:
        copy = Path(scratch) / settings.build_db.name
        shutil.copyfile(settings.warehouse_path, copy)
        target = Path(scratch) / "target"
        env = {**os.environ, "OGI_BUILD_DB": str(copy), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
        done = subprocess.run(
            [
                str(DBT_EXECUTABLE),
                "docs",
                "generate",
                "--static",
                "--profiles-dir",
                ".",
                "--target-path",
                str(target),
                "--quiet",
            ],
            cwd=DBT_PROJECT_DIR,
            env=env,
            check=False,
        )
        if done.returncode != 0:
            return done.returncode
        settings.dbt_docs.parent.mkdir(parents=True, exist_ok=True)
        staging = settings.dbt_docs.with_name(f".{settings.dbt_docs.name}.tmp")
        shutil.copyfile(target / "static_index.html", staging)
        os.replace(staging, settings.dbt_docs)
    index = write_docs_index(settings.docs_index, settings.warehouse_path, published_documents(settings))
    print(settings.dbt_docs)
    print(f"linked from {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
