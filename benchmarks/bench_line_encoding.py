"""CPU cost of the per-line encoding check on a GBK file, against decoding alone.

Writes 1M GBK order lines (about 77 MB) once into ``--data``, then times (CPU seconds, medians)
the plain chunked GB18030 → UTF-8 decoding the ingest did before lines were checked, the line
classification alone and the whole check (classification, then decoding with foreign lines
marked).

    uv run python benchmarks/bench_line_encoding.py [--lines 1000000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import codecs
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.landing.line_encoding import line_kinds, write_readable  # noqa: E402


def write_gbk(path: Path, lines: int) -> None:
    header = "order_id,sku_id,merchant_id,quantity,paid_amount,ordered_at,province,carrier"
    rows = [header] + [
        f"O{i:09d},S{i % 50000:06d},M{i % 2000:05d},{1 + i % 3},{10 + i % 500}.50,"
        "2026-01-01 10:00:00,广东省深圳市,顺丰速运"
        for i in range(lines)
    ]
    path.write_bytes(("\n".join(rows) + "\n").encode("gbk"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data", type=Path, default=ROOT / "artifacts" / "bench_line_encoding")
    args = parser.parse_args()
    args.data.mkdir(parents=True, exist_ok=True)
    source, out = args.data / f"orders_{args.lines}.gbk.csv", args.data / "out.csv"
    if not source.exists():
        write_gbk(source, args.lines)

    def decode_only() -> None:
        decoder = codecs.getincrementaldecoder("gb18030")(errors="replace")
        with open(source, "rb") as src, open(out, "w", encoding="utf-8") as dest:
            while chunk := src.read(8 * 1024 * 1024):
                dest.write(decoder.decode(chunk))
            dest.write(decoder.decode(b"", final=True))

    def classify_only() -> None:
        line_kinds(source, "csv")

    def checked() -> None:
        kinds = line_kinds(source, "csv")
        encoding = kinds.majority()
        write_readable(source, "csv", encoding, out, kinds.foreign(encoding), b'"', 1)

    runs: dict[str, list[float]] = {"decode_only": [], "classify_only": [], "checked": []}
    for _ in range(args.repeats):
        for name, step in (
            ("decode_only", decode_only),
            ("classify_only", classify_only),
            ("checked", checked),
        ):
            start = time.process_time()
            step()
            runs[name].append(time.process_time() - start)
    medians = {name: round(statistics.median(times), 2) for name, times in runs.items()}
    size_mb = source.stat().st_size / 1e6
    print(f"{args.lines:,} GBK lines, {size_mb:.1f} MB; CPU seconds, medians of {args.repeats}:")
    print(medians, f"ratio checked/decode_only {medians['checked'] / medians['decode_only']:.2f}")
    out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
