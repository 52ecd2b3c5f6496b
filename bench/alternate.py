"""Check-in capacity of this checkout against another, in alternating runs on the same machine.

The machine's speed drifts by tens of percent over minutes, so one run of each says little:
this runs `bench/checkin.py`'s SQLite capacity run (the closed loop of `--heads` heads) in this
checkout and in `--base` (another checkout, with its own `.venv`), alternately, and prints JSON
with every run and the median turns/s of each, and their ratio.

    python bench/alternate.py --base ../reportbot-at-main --runs 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

# The capacity run only, through the checkout's own bench/checkin.py (its `_run` has taken
# (url, heads, rates) since the benchmark had paced runs).
_ONE_RUN = """
import asyncio, json, sys
sys.path.insert(0, "bench")
import checkin
result = asyncio.run(checkin._run("sqlite", {heads}, []))
print(json.dumps(result["capacity"]))
"""


def _python(checkout: Path) -> str:
    venv = checkout / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def _capacity(checkout: Path, heads: int) -> dict[str, float]:
    done = subprocess.run(
        [_python(checkout), "-c", _ONE_RUN.format(heads=heads)],
        cwd=checkout,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", type=Path, required=True, help="the checkout to compare with")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--heads", type=int, default=200)
    arguments = parser.parse_args()
    here = Path(__file__).resolve().parents[1]
    checkouts = {"this": here, "base": arguments.base.resolve()}
    runs: dict[str, list[dict[str, float]]] = {"this": [], "base": []}
    for index in range(arguments.runs):
        # Alternate which goes first, so neither always meets the machine warmed by the other.
        order = ("base", "this") if index % 2 == 0 else ("this", "base")
        for name in order:
            runs[name].append(_capacity(checkouts[name], arguments.heads))
    medians = {
        name: statistics.median(run["turns_per_second"] for run in results)
        for name, results in runs.items()
    }
    print(
        json.dumps(
            {
                "heads": arguments.heads,
                "runs": runs,
                "median_turns_per_second": medians,
                "this_vs_base": round(medians["this"] / medians["base"], 3),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
