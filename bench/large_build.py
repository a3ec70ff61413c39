"""Build an emulator over a dataset in a fresh process; print build time and memory as JSON.

Run as `python -m bench.large_build large`, so the peak RSS is the build's alone.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import orjson


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    """Build the dataset named on the command line and report seconds, rows and MiB."""
    name = sys.argv[1] if len(sys.argv) > 1 else "large"
    baseline_mb = _status_mb("VmRSS")
    from pipedrive_graphql.emulator import Emulator, EmulatorConfig
    from pipedrive_graphql.emulator.entities import TABLES

    imported_mb = _status_mb("VmRSS")
    started = time.perf_counter()
    emulator = Emulator(EmulatorConfig(dataset=name))
    seconds = time.perf_counter() - started
    rows = {table: emulator.store.count(table) for table in TABLES}
    report = {
        "dataset": name,
        "build_seconds": seconds,
        "rows": rows,
        "rss_before_import_mb": baseline_mb,
        "rss_after_import_mb": imported_mb,
        "rss_after_build_mb": _status_mb("VmRSS"),
        "peak_rss_mb": _status_mb("VmHWM"),
    }
    sys.stdout.write(orjson.dumps(report).decode() + "\n")


if __name__ == "__main__":
    main()
