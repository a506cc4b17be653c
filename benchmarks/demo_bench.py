"""``make demo``'s preparation (``presisi migrate`` + ``presisi demo`` at DEMO_SCALE, default 1.0) on a
scratch SQLite file: wall time, CPU time and peak memory of the whole thing, and the demo's own
per-phase lines (synthetic regency, each period's changes, publishing, indicators, sector list).

    python -m benchmarks.demo_bench [--scale 1.0]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PRESISI = [sys.executable, "-m", "presisi.cli"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=float(os.environ.get("DEMO_SCALE", "1.0")))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
               "PRESISI_BOUNDARY_FILE": str(REPO / "presisi" / "data" / "klungkung_desa.geojson")}
        start = time.perf_counter()
        subprocess.run([*PRESISI, "migrate", "--noinput"], cwd=REPO, env=env, check=True, capture_output=True)
        migrated = time.perf_counter()
        proc = subprocess.run([*PRESISI, "demo", "--scale", str(args.scale)], cwd=REPO, env=env,
                              capture_output=True, text=True)
        end = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    for line in proc.stdout.splitlines():
        if not line.startswith("  "):  # the phase lines, not the demo accounts
            print(line)
    print(f"scale {args.scale}: migrate {migrated - start:.1f} s, demo {end - migrated:.1f} s wall; "
          f"CPU {usage.ru_utime + usage.ru_stime:.1f} s; peak RSS {usage.ru_maxrss / 1024:.0f} MB")
    if proc.returncode:
        print(proc.stderr[-3000:], file=sys.stderr)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
