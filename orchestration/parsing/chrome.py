"""Remove web chrome (breadcrumbs, font bars, share bars, print/close buttons, metadata blocks) from a report.

Only whole short lines that match a pattern of ``maps/chrome_patterns.tsv`` are removed: some archived copies
hold the whole report on one line that starts with a breadcrumb, and report text must never be lost. Metadata
worth keeping (published date, publisher) is read before this runs.
"""

from __future__ import annotations

import csv
import re
from functools import cache

from orchestration.parsing.maps import MAPS_DIR

MAX_CHROME_LINE = 160


@cache
def _pattern() -> re.Pattern[str]:
    """All chrome patterns as one alternation: one match per line instead of one per pattern."""
    with (MAPS_DIR / "chrome_patterns.tsv").open(encoding="utf-8", newline="") as handle:
        patterns = [r["pattern"] for r in csv.DictReader(handle, delimiter="\t")]
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def is_chrome_line(line: str) -> bool:
    """True for a short line that is site chrome rather than report text."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_CHROME_LINE:
        return False
    return _pattern().match(stripped) is not None


def strip_chrome(text: str) -> str:
    """The text without chrome lines; every other line, and the line structure, is kept."""
    return "\n".join(line for line in text.split("\n") if not is_chrome_line(line))
