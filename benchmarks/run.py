"""Run every benchmark in this folder (``make bench``), one after another.

Each ``bench_<area>.py`` is a stand-alone script that writes ``results/<area>.json``; this runner
only sequences them so the machine is not shared between two measurements.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
ORDER = [
    "generate",
    "ingest",
    "build",
    "incremental",
    "segment",
    "dashboard",
    "scorecards",
    "spark",
]


def main(argv: list[str]) -> int:
    wanted = argv or ORDER
    failed = []
    for area in wanted:
        script = HERE / f"bench_{area}.py"
        if not script.exists():
            print(f"skipping {area}: {script.name} not present")
            continue
        print(f"== benchmark: {area}", flush=True)
        if subprocess.run([sys.executable, str(script)], check=False).returncode != 0:
            failed.append(area)
    if failed:
        print(f"benchmarks failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
