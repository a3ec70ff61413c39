"""`python -m bench.custom_fields`: 100 deals with three custom fields against none.

One of the three fields is person-type and links to the person (one `ids=` batch). Writes its
table into BENCHMARKS.md's "Custom fields" section (the rest of the file is left as it is).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from bench import stack
from bench.scenarios import Scenario
from bench.throughput import measure
from bench.upstream import Measured, measure_upstream

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Custom fields"
WITH_FIELDS = Scenario(
    key="custom-fields",
    title="the same 100 deals with three custom fields (Budget, Region, Technical contact → "
    "person { id name })",
    dataset="demo",
    query="""query DealsWithCustomFields {
  deals(limit: 100) { results { id title value
    budget: customField(name: "Budget") { text number currency }
    region: customField(name: "Region") { text }
    contact: customField(name: "Technical contact") { text person { id name } } } }
}""",
    levels=2,
)
WITHOUT_FIELDS = Scenario(
    key="no-custom-fields",
    title="100 deals (id, title, value), no custom fields",
    dataset="demo",
    query="query Deals { deals(limit: 100) { results { id title value } } }",
    levels=1,
)


def _paths(measured: Measured) -> str:
    return ", ".join(f"{path} ×{n}" for path, n in sorted(measured.warm.paths.items()))


def run(seconds: float) -> str:
    """Measure both queries on a fresh emulator and server; the Markdown table."""
    rows = []
    with stack.emulator("demo") as emu:
        for index, scenario in enumerate((WITHOUT_FIELDS, WITH_FIELDS)):
            with stack.server(emu) as srv:
                measured = measure_upstream(srv.url, emu.url, scenario, f"bench-cf-{index}")
                errors = measured.response.get("errors")
                if errors:
                    raise RuntimeError(f"{scenario.key}: {errors}")
                runs = measure(srv, emu, scenario, (1,), seconds)
            one = runs.runs[1]
            rows.append(
                f"| {scenario.title} | {measured.cold.requests} / {measured.cold.tokens} | "
                f"{measured.warm.requests} / {measured.warm.tokens} | {_paths(measured)} | "
                f"{one.p50_ms:.1f} | {one.p95_ms:.1f} | {one.server_cpu_ms_per_request:.1f} |"
            )
    header = (
        "| query (demo dataset, 0 ms upstream) | first request: upstream requests / tokens | "
        "later requests | upstream calls (later) | p50 ms | p95 ms | server CPU ms/request |\n"
        "| --- | --- | --- | --- | --- | --- | --- |"
    )
    return header + "\n" + "\n".join(rows)


def write_section(path: Path, table: str, command: str) -> None:
    """Replace (or append) the custom fields section of BENCHMARKS.md."""
    load = os.getloadavg()[0]
    body = (
        f"{SECTION}\n\n`{command}` (sequential requests, one client, one server process and one "
        "emulator process; the first request of a credential also fetches the deal field "
        "definitions, later ones read them from the process cache; load average "
        f"{load:.1f} on {os.cpu_count()} cores when written):\n\n" + table + "\n"
    )
    text = path.read_text() if path.exists() else ""
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(body + "\n", text) if pattern.search(text) else text.rstrip() + "\n\n" + body
    path.write_text(text)


def main(argv: list[str] | None = None) -> int:
    """Run the phase, print the table and write it into BENCHMARKS.md."""
    parser = argparse.ArgumentParser(prog="python -m bench.custom_fields", description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each latency run")
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    table = run(args.seconds)
    command = "make bench-custom-fields" + (
        f" (python -m bench.custom_fields --seconds {args.seconds:g})"
        if args.seconds != 3.0
        else ""
    )
    write_section(args.output, table, command)
    sys.stdout.write(table + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
