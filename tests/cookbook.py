"""The recipes of ``docs/cookbook.md``, read from the page itself so the tests run exactly what analysts copy."""

from __future__ import annotations

import re
from pathlib import Path

COOKBOOK = Path(__file__).resolve().parents[1] / "docs" / "cookbook.md"
_RECIPE = re.compile(r"```sql\n-- recipe: (\w+)\n(.*?)```", re.S)


def recipes() -> dict[str, str]:
    """Recipe name -> its SQL, in page order."""
    found = {name: sql.strip() for name, sql in _RECIPE.findall(COOKBOOK.read_text(encoding="utf-8"))}
    assert found, f"no recipes found in {COOKBOOK}"
    return found


def recipe(name: str) -> str:
    """One recipe's SQL."""
    return recipes()[name]
