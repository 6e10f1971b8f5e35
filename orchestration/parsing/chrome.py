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
def _patterns() -> tuple[re.Pattern[str], ...]:
    with (MAPS_DIR / "chrome_patterns.tsv").open(encoding="utf-8", newline="") as handle:
        return tuple(re.compile(r["pattern"]) for r in csv.DictReader(handle, delimiter="\t"))


def is_chrome_line(line: str) -> bool:
    """True for a short line that is site chrome rather than report text."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_CHROME_LINE:
        return False
    return any(p.match(stripped) for p in _patterns())


def strip_chrome(text: str) -> str:
    """The text without chrome lines; every other line, and the line structure, is kept."""
    return "\n".join(line for line in text.split("\n") if not is_chrome_line(line))
