"""``make bench``: every benchmark, each in its own process, on SQLite and PostgreSQL.

Results are printed and appended as JSON lines to var/bench/results.jsonl; copy the
numbers into docs/BENCHMARKS.md with the machine and date.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODULES = ["benchmarks.registry_bench", "benchmarks.indicator_bench", "benchmarks.import_bench",
           "benchmarks.dashboard_bench"]


def main() -> int:
    out_dir = REPO / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    selected = sys.argv[1:] or MODULES
    failures = 0
    for module in selected:
        if importlib.util.find_spec(module) is None:
            continue
        for engine in ("sqlite", "postgresql"):
            print(f"== {module} [{engine}]", flush=True)
            proc = subprocess.run([sys.executable, "-m", module, engine], cwd=REPO, capture_output=True, text=True)
            line = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
            if proc.returncode != 0 or not line.startswith("{"):
                failures += 1
                print(proc.stdout[-2000:], proc.stderr[-4000:], sep="\n")
                continue
            print(line)
            with (out_dir / "results.jsonl").open("a") as fh:
                fh.write(json.dumps({"module": module, **json.loads(line)}) + "\n")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
