"""``make bench``: every benchmark, each in its own process (fresh Django, fresh scratch database).

Output goes to the terminal and to var/bench/<name>.log; copy the numbers into
docs/BENCHMARKS.md with the machine and date. ``make bench ONLY=indicator`` runs one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = [
    ("registry-sqlite", ["benchmarks.registry_bench", "sqlite"]),
    ("registry-postgresql", ["benchmarks.registry_bench", "postgresql"]),
    ("indicator-sqlite", ["benchmarks.indicator_bench", "sqlite"]),
    ("indicator-postgresql", ["benchmarks.indicator_bench", "postgresql"]),
    ("import", ["benchmarks.import_bench", "--engine", "both"]),
    ("dashboard", ["benchmarks.dashboard_bench"]),
    ("tautan-sqlite", ["benchmarks.tautan_bench", "sqlite"]),
    ("tautan-postgresql", ["benchmarks.tautan_bench", "postgresql"]),
    ("sektor", ["benchmarks.sektor_bench", "--engine", "both"]),
    ("spasial-sqlite", ["benchmarks.spasial_bench", "sqlite"]),  # agency map layers, exposure (issue #12 item 6)
    ("tautan-mesin", ["benchmarks.tautan_mesin_bench"]),  # the Splink engine alone, 60k x 216k
    ("demo", ["benchmarks.demo_bench"]),  # make demo's preparation: four periods through the update cycle
]


def main() -> int:
    out_dir = REPO / "var" / "bench"
    out_dir.mkdir(parents=True, exist_ok=True)
    only = os.environ.get("ONLY", "")
    failures = 0
    for name, args in RUNS:
        if only and only not in name:
            continue
        print(f"== {name}", flush=True)
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True)
        log = proc.stdout + ("\n" + proc.stderr if proc.returncode else "")
        (out_dir / f"{name}.log").write_text(log)
        print(proc.stdout.strip()[-3000:])
        if proc.returncode:
            failures += 1
            print(proc.stderr[-3000:])
        print(f"   ({time.perf_counter() - start:.0f} s)", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
