"""The layering is enforced by `make lint` (import-linter contracts in pyproject.toml), and the check can fail.

The contracts run on a copy of the package with one forbidden import added, so a contract that could never
break (a misspelt module name, a root package the linter cannot import) shows up here as a kept contract.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=project, capture_output=True, text=True, check=False, timeout=300
    )


def _copy_with(tmp_path: Path, module: str, line: str) -> Path:
    shutil.copytree(ROOT / "orchestration", tmp_path / "orchestration", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "__init__.py").write_text("")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    return tmp_path


def test_the_repository_keeps_every_contract() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("orchestration/parsing/cells.py", "import dagster", "parsing is pure"),
        ("orchestration/parsing/prose.py", "from orchestration.warehouse import landing", "parsing is pure"),
        ("orchestration/warehouse/publish.py", "from orchestration.defs import publish", "warehouse logic"),
        ("orchestration/warehouse/landing.py", "import bench", "does not import the benchmark"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(tmp_path: Path, module: str, line: str, broken: str) -> None:
    result = _lint(_copy_with(tmp_path, module, line))
    assert result.returncode != 0
    assert any(broken in row and "BROKEN" in row for row in result.stdout.splitlines()), result.stdout
