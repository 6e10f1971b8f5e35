"""Progress of a long stage as a few log lines: every tenth of the work, or after a quiet half minute.

A refresh of 100,000 reports lands and parses for minutes; one line per batch would bury the run's output,
none would leave the user guessing. Dagster-free: the assets pass their logger's ``info``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

Progress = Callable[[int, int], None]
"""Called with (done, total) after each batch of a stage."""


def throttled(log: Callable[[str], None], what: str, quiet_seconds: float = 30.0) -> Progress:
    """A ``Progress`` logging "<what> N of M (P %)" at each new tenth of M or after ``quiet_seconds``, not at M."""
    last = {"tenth": 0, "at": time.monotonic()}

    def report(done: int, total: int) -> None:
        if total <= 0 or done >= total:  # the stage's own summary line says the rest
            return
        tenth = done * 10 // total
        now = time.monotonic()
        if tenth > last["tenth"] or now - last["at"] >= quiet_seconds:
            last["tenth"], last["at"] = tenth, now
            log(f"{what} {done:,} of {total:,} ({done * 100 // total} %)")

    return report
