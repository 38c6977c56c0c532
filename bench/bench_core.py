"""CPython benchmark of the core: lexicon compile time and per-query check time (a measurement, not a test).

    python bench/bench_core.py [--queries tests/data/queries.tsv] [--out bench/core.json]

Reports, in one run: the median and p99 time of `Matcher.check` over the dev set with all seven lexicons
loaded, and the time to load + compile the lexicons, both *without* generated variants (no morphology) and *with*
them, so the cost of the language-depth work is visible; plus synthetic lexicons 10x and
100x the real size (per-query cost must stay flat: it follows the query, not the number of terms).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "widget" / "py"))

from lentera import morphology  # noqa: E402
from lentera.compile import _norm, compile_lexicon  # noqa: E402
from lentera.evaluate import read_rows  # noqa: E402
from lentera.lexicon import load_all  # noqa: E402
from lentera.matcher import Matcher  # noqa: E402

SCALE_COUNTRY = "KR"


@contextmanager
def no_morphology():
    saved = dict(morphology.REGISTRY)
    morphology.REGISTRY.clear()
    try:
        yield
    finally:
        morphology.REGISTRY.update(saved)


def compile_all() -> tuple[float, dict[str, Matcher], int]:
    _norm.cache_clear()
    start = time.perf_counter()
    lexicons = load_all(directory=ROOT / "lexicons")
    matchers = {cc: Matcher(compile_lexicon(lex)) for cc, lex in lexicons.items()}
    elapsed = time.perf_counter() - start
    return elapsed, matchers, sum(len(m.keys) for m in matchers.values())


def time_queries(matchers: dict[str, Matcher], rows: list[Any], repeat: int = 5) -> dict[str, float]:
    samples = []
    for _ in range(repeat):
        for row in rows:
            m = matchers[row.country]
            t = time.perf_counter_ns()
            m.check(row.query)
            samples.append(time.perf_counter_ns() - t)
    samples.sort()
    return {
        "median_us": round(statistics.median(samples) / 1000, 2),
        "p99_us": round(samples[int(len(samples) * 0.99)] / 1000, 2),
        "checks": len(samples),
    }


def synthetic(compiled: dict[str, Any], factor: int, seed: int = 7) -> dict[str, Any]:
    """The real lexicon plus (factor - 1) x as many random Latin/Thai/Hangul phrases of similar lengths."""
    rng = random.Random(seed)
    alphabet = "abcdefghijklmnoprstuwy"
    entries = list(compiled["entries"])
    extra = []
    for text, kind, ref, lang in entries * (factor - 1):
        word = "".join(rng.choice(alphabet) for _ in range(max(3, len(text))))
        extra.append([word, kind, ref, lang])
    return {**compiled, "entries": entries + extra}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--queries", default=str(ROOT / "tests" / "data" / "queries.tsv"))
    ap.add_argument("--out", default=str(ROOT / "bench" / "core.json"))
    args = ap.parse_args()
    rows = read_rows(Path(args.queries))
    report: dict[str, Any] = {"python": platform.python_version(), "machine": platform.machine(), "queries": len(rows)}

    with no_morphology():
        secs, matchers, keys = compile_all()
    report["without_variants"] = {"compile_s": round(secs, 3), "keys": keys, **time_queries(matchers, rows)}
    secs, matchers, keys = compile_all()
    report["with_variants"] = {"compile_s": round(secs, 3), "keys": keys, **time_queries(matchers, rows)}
    before, after = report["without_variants"]["median_us"], report["with_variants"]["median_us"]
    report["median_growth"] = round(after / before - 1, 3)

    # One country keeps the 100x key table within memory (about 0.6M keys; all seven would need tens of GB).
    cc = SCALE_COUNTRY
    real = compile_lexicon(load_all([cc], directory=ROOT / "lexicons")[cc])
    scale = {"country": cc}
    for factor in (1, 10, 100):
        start = time.perf_counter()
        scaled = {cc: Matcher(synthetic(real, factor))}
        build = time.perf_counter() - start
        scale[f"{factor}x"] = {"build_s": round(build, 3), "keys": len(scaled[cc].keys),
                               **time_queries(scaled, [r for r in rows if r.country == cc], repeat=3)}
    scale["ratio_100x_to_1x"] = round(scale["100x"]["median_us"] / scale["1x"]["median_us"], 3)
    report["scale"] = scale

    Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
