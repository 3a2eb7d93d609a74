"""Benchmark complaint-text segmentation: the per-core rate, and the build's incremental step.

Segmentation runs in the build, before dbt, only on descriptions it has not segmented yet
(flows/text/store.py). This measures (1) the segmenter's own rate on one core, on generated
Chinese descriptions and on real English narratives (the CFPB sample in shared/real), and (2)
what the build step costs on a warehouse of ``--complaints`` complaints: the first run (every
distinct description), a run after 1 % new complaints, and a run with nothing new.

    uv run python benchmarks/bench_segment.py [--complaints 255687] [--repeats 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flows.generator.catalog import CATEGORY_NAMES
from flows.generator.descriptions import describe, fake_phones
from flows.text.segment import default_segmenter
from flows.text.store import segment_new_descriptions

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "segment.json"
REAL = Path(__file__).resolve().parents[1] / "tests/fixtures/real/cfpb_complaints_sample.csv.gz"
ISSUES = ["quality_defect", "cosmetic_flaw", "counterfeit", "transport_damage", "misuse",
          "misunderstanding", "other"]  # fmt: skip


def generated_descriptions(n: int, seed: int = 7) -> list[str]:
    """Descriptions the generator writes, with its slots filled at random."""
    rng = np.random.default_rng(seed)
    issues = np.array(ISSUES)[rng.integers(0, len(ISSUES), n)]
    cats = [CATEGORY_NAMES[i] for i in rng.integers(0, len(CATEGORY_NAMES), n)]
    l2 = [f"商品{i % 97}号" for i in range(n)]
    names = [f"款式{i % 1013}" for i in range(n)]
    texts, _ = describe(rng, issues, cats, l2, names, ["品牌"] * n, ["顺丰速运"] * n,
                        fake_phones(rng, n))  # fmt: skip
    return [f"{text}（订单{i}）" for i, text in enumerate(texts)]  # every one distinct


def english_narratives() -> list[str]:
    if not REAL.exists():
        return []
    with gzip.open(REAL, "rt", encoding="utf-8") as fh:
        frame = pd.read_csv(fh, usecols=["Consumer complaint narrative"])
    return frame["Consumer complaint narrative"].dropna().astype(str).tolist()


def rate(texts: list[str], repeats: int) -> dict:
    segmenter = default_segmenter()
    runs = []
    for _ in range(repeats):
        started = time.process_time()  # CPU time of this process: one core
        segmenter.segment_many(texts)
        runs.append(time.process_time() - started)
    median = statistics.median(runs)
    return {
        "descriptions": len(texts),
        "mean_chars": round(sum(map(len, texts)) / max(len(texts), 1), 1),
        "cpu_seconds_runs": [round(r, 3) for r in runs],
        "cpu_seconds_median": round(median, 3),
        "descriptions_per_cpu_second": round(len(texts) / median),
    }


def incremental(n: int, repeats: int) -> dict:
    texts = generated_descriptions(n + n // 100, seed=11)
    out: dict[str, list[float]] = {"first": [], "one_percent_new": [], "nothing_new": []}
    for _ in range(repeats):
        con = duckdb.connect()
        con.execute("create schema raw")
        con.execute("create table raw.complaints (complaint_id varchar, description varchar)")
        frame = pd.DataFrame(
            {"complaint_id": [f"C{i}" for i in range(n)], "description": texts[:n]}
        )
        con.register("frame", frame)
        con.execute("insert into raw.complaints select * from frame")
        for step in ("first", "one_percent_new", "nothing_new"):
            if step == "one_percent_new":
                more = pd.DataFrame({"complaint_id": [f"N{i}" for i in range(n // 100)],
                                     "description": texts[n:]})  # fmt: skip
                con.register("more", more)
                con.execute("insert into raw.complaints select * from more")
            started = time.perf_counter()
            segment_new_descriptions(con)
            out[step].append(time.perf_counter() - started)
        con.close()
    return {
        "complaints": n,
        "new_complaints": n // 100,
        **{f"{k}_seconds_runs": [round(v, 3) for v in vs] for k, vs in out.items()},
        **{f"{k}_seconds_median": round(statistics.median(vs), 3) for k, vs in out.items()},
        "complaints_per_second_one_percent_new": round(
            (n + n // 100) / statistics.median(out["one_percent_new"])
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--complaints", type=int, default=255_687)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    default_segmenter()  # the dictionary load is not part of any rate
    result = {
        "chinese_generated": rate(generated_descriptions(50_000), args.repeats),
        "english_cfpb": rate(english_narratives(), args.repeats),
        "incremental_build_step": incremental(args.complaints, args.repeats),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "load_average_1min": os.getloadavg()[0],
        },
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
