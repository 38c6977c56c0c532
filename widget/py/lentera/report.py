"""The per-language coverage table that `lentera eval --report` writes (Markdown)."""

from __future__ import annotations

from collections import Counter

from lentera.compile import SEGMENT, TERM, compile_lexicon
from lentera.evaluate import Counts, Result
from lentera.lexicon import load_all


def coverage_markdown(result: Result, countries: list[str]) -> str:
    lexicons = load_all(countries)
    lines = [
        "# Coverage per language",
        "",
        "Written by `lentera eval --report tests/data/queries.tsv`. *Terms* are the patterns reviewers wrote",
        "(term lists and the word sets combos use); *variants* are the phrases the compiler generated from them",
        "(inflections and alternatives, as phrases or as segments of sequence rules); the scores are on the dev set.",
        "",
        "| country | language | terms | variants | dev help | dev none | precision | recall | FPR |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for cc in countries:
        lex = lexicons[cc]
        patterns: Counter[str] = Counter()
        for cat in lex.categories.values():
            for lang, pats in cat.terms.items():
                patterns[lang] += len(pats)
        for by_lang in lex.sets.values():
            for lang, pats in by_lang.items():
                patterns[lang] += len(pats)
        variants = Counter(lang for _, kind, _, lang in compile_lexicon(lex)["entries"] if kind in (TERM, SEGMENT))
        langs = sorted(set(patterns) | {lang for c, lang in result.by_language if c == cc})
        for lang in langs:
            counts = result.by_language.get((cc, lang), Counts())
            d = counts.as_dict()
            scored = counts.tp + counts.fn + counts.fp + counts.tn > 0
            cells = (
                [f"{d['precision']:.3f}", f"{d['recall']:.3f}", f"{d['fpr']:.3f}"] if scored else ["-", "-", "-"]
            )
            lines.append(
                f"| {cc} | {lang} | {patterns[lang]} | {variants[lang]} | {counts.tp + counts.fn} | "
                f"{counts.fp + counts.tn} | " + " | ".join(cells) + " |"
            )
    overall = result.overall.as_dict()
    lines += ["", f"Overall: precision {overall['precision']:.3f}, recall {overall['recall']:.3f}, "
              f"FPR {overall['fpr']:.3f} over {sum(overall[k] for k in ('tp', 'fp', 'tn', 'fn'))} queries.", ""]
    return "\n".join(lines)
