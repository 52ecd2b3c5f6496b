"""Benchmark of the citizen guidance engine: index build time and answer latency.

Builds a library of 300 guides (the package guides plus generated variants written as a
ward's own guides, with their entries, so loading and validation are measured too), then
answers 10,000 questions derived from the citizens' questions (diacritics stripped, typos,
teencode).
Prints one JSON object. Targets: p95 <= 20 ms, build <= 2 s. Besides wall-clock times it
prints the CPU time the build and each answer took: on a machine other processes share, the
wall-clock tail is mostly time spent waiting for a core, which the CPU figures leave out.

    PYTHONPATH=. python bench/guidance.py [--guides 300] [--questions 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import resource
import statistics
import tempfile
import time
from importlib import resources
from pathlib import Path

from bot.guidance_directory import load_library
from handlers.guidance import GuidanceEngine
from handlers.text.abbreviations import Reader, expansions
from storage.folding import fold_text

EVALUATION_SET = (
    Path(__file__).resolve().parent.parent / "tests" / "guidance" / "citizen_questions.csv"
)
# The short forms a hurried question uses, from the one abbreviation table: words → short form.
TEENCODE = {
    words: short
    for short, words in expansions(Reader.GUIDANCE).items()
    if short in {"ko", "dc", "j", "mk", "dt", "vs"}
}


def write_variant_guides(folder: Path, count: int, rng: random.Random) -> None:
    """Write `count` new Vietnamese guides derived from the package ones into `folder`."""
    originals = [
        entry.read_text(encoding="utf-8")
        for entry in resources.files("handlers.guidance").joinpath("guides").iterdir()
        if entry.name.endswith(".md") and not entry.name.endswith(".en.md")
    ]
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        text = rng.choice(originals)
        text = re.sub(
            r"^id: (\S+)$", rf"id: \1-variant-{number}", text, count=1, flags=re.MULTILINE
        )
        text = re.sub(
            r"^title: (.+)$", rf"title: \1 (biến thể {number})", text, count=1, flags=re.MULTILINE
        )
        (folder / f"variant-{number}.md").write_text(text, encoding="utf-8")


def perturb(question: str, rng: random.Random) -> str:
    """A question as typed in a hurry: maybe without diacritics, with teencode or a typo."""
    if rng.random() < 0.5:
        question = fold_text(question)
    for word, code in TEENCODE.items():
        if rng.random() < 0.5:
            question = question.replace(word, code)
    if len(question) > 6 and rng.random() < 0.3:
        cut = rng.randrange(1, len(question) - 1)
        question = question[:cut] + question[cut + 1 :]
    return question


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=300)
    parser.add_argument("--questions", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)

    with tempfile.TemporaryDirectory() as temporary:
        ward = Path(temporary)
        package_count = len(load_library())
        write_variant_guides(ward / "guides", max(0, arguments.guides - package_count), rng)
        started, started_cpu = time.perf_counter(), time.process_time()
        library = load_library(ward)
        engine = GuidanceEngine(library)
        build_seconds = time.perf_counter() - started
        build_cpu_seconds = time.process_time() - started_cpu

    with EVALUATION_SET.open(encoding="utf-8", newline="") as handle:
        seeds = [row["question"] for row in csv.DictReader(handle)]
    questions = [perturb(rng.choice(seeds), rng) for _ in range(arguments.questions)]

    latencies_ms = []
    cpu_ms = []
    outcomes: dict[str, int] = {}
    for question in questions:
        started, started_cpu = time.perf_counter(), time.thread_time()
        answer = engine.answer(question)
        cpu_ms.append((time.thread_time() - started_cpu) * 1000)
        latencies_ms.append((time.perf_counter() - started) * 1000)
        outcomes[answer.outcome.value] = outcomes.get(answer.outcome.value, 0) + 1

    quantiles = statistics.quantiles(latencies_ms, n=100)
    cpu_quantiles = statistics.quantiles(cpu_ms, n=100)
    print(
        json.dumps(
            {
                "guides": len(library),
                "entries": sum(
                    len(guide.entries)
                    for guide_id in library
                    for guide in library.versions(guide_id)
                ),
                "questions": len(questions),
                "index_build_seconds": round(build_seconds, 3),
                "index_build_cpu_seconds": round(build_cpu_seconds, 3),
                "load_average": [round(load, 2) for load in os.getloadavg()],
                "latency_ms": {
                    "p50": round(quantiles[49], 3),
                    "p95": round(quantiles[94], 3),
                    "p99": round(quantiles[98], 3),
                    "max": round(max(latencies_ms), 3),
                },
                "cpu_ms": {
                    "p50": round(cpu_quantiles[49], 3),
                    "p95": round(cpu_quantiles[94], 3),
                    "p99": round(cpu_quantiles[98], 3),
                },
                "peak_memory_mb": round(
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                ),
                "outcomes": outcomes,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
