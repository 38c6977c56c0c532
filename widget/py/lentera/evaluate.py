"""`lentera eval`: score the matcher on a labelled TSV (country, lang, label, query, note)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lentera.matcher import Decision, Matcher

HEADER = ("country", "lang", "label", "query", "note")


@dataclass(frozen=True)
class Row:
    country: str
    lang: str
    label: str
    query: str
    note: str = ""


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0

    def add(self, label: str, shown: bool) -> None:
        if label == "help":
            self.tp += shown
            self.fn += not shown
        else:
            self.fp += shown
            self.tn += not shown

    def as_dict(self) -> dict[str, Any]:
        # Conventions for empty denominators: nothing predicted is perfectly precise, nothing to find is fully
        # recalled, no negatives means no false positives.
        predicted, positives, negatives = self.tp + self.fp, self.tp + self.fn, self.fp + self.tn
        return {
            "tp": self.tp, "fp": self.fp, "tn": self.tn, "fn": self.fn,
            "precision": round(self.tp / predicted, 4) if predicted else 1.0,
            "recall": round(self.tp / positives, 4) if positives else 1.0,
            "fpr": round(self.fp / negatives, 4) if negatives else 0.0,
        }


@dataclass
class Result:
    countries: dict[str, Counts] = field(default_factory=dict)
    by_language: dict[tuple[str, str], Counts] = field(default_factory=dict)
    misses: list[tuple[Row, Decision]] = field(default_factory=list)

    @property
    def overall(self) -> Counts:
        total = Counts()
        for c in self.countries.values():
            total.tp, total.fp, total.tn, total.fn = total.tp + c.tp, total.fp + c.fp, total.tn + c.tn, total.fn + c.fn
        return total

    def as_json(self) -> dict[str, Any]:
        return {
            "countries": {cc: c.as_dict() for cc, c in sorted(self.countries.items())},
            "overall": self.overall.as_dict(),
        }


def read_rows(path: Path) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = [h.strip().lower() for h in next(reader)]
        missing = [h for h in HEADER[:4] if h not in header]
        if missing:
            raise ValueError(f"{path}: header lacks {', '.join(missing)} (want {' '.join(HEADER)})")
        index = {h: header.index(h) for h in HEADER if h in header}
        rows = []
        for n, cells in enumerate(reader, start=2):
            if not cells or not any(c.strip() for c in cells):
                continue
            padded = [*cells, *[""] * len(HEADER)]
            get = {h: padded[i] for h, i in index.items()}.get
            label = (get("label") or "").strip().lower()
            if label not in ("help", "none"):
                raise ValueError(f"{path}:{n}: label must be help or none, not {label!r}")
            rows.append(Row((get("country") or "").strip().upper(), (get("lang") or "").strip(), label,
                            get("query") or "", get("note") or ""))
        return rows


def evaluate(rows: Iterable[Row], matchers: dict[str, Matcher]) -> Result:
    result = Result()
    for row in rows:
        matcher = matchers.get(row.country)
        if matcher is None:
            continue
        decision = matcher.check(row.query)
        result.countries.setdefault(row.country, Counts()).add(row.label, decision.show)
        result.by_language.setdefault((row.country, row.lang), Counts()).add(row.label, decision.show)
        if decision.show != (row.label == "help"):
            result.misses.append((row, decision))
    return result


def format_text(result: Result) -> str:
    lines = [f"{'':8}{'TP':>5}{'FP':>5}{'TN':>5}{'FN':>5}{'prec':>8}{'recall':>8}{'FPR':>8}"]
    table = [*sorted(result.countries.items()), ("overall", result.overall)]
    for name, counts in table:
        d = counts.as_dict()
        lines.append(
            f"{name:8}{d['tp']:>5}{d['fp']:>5}{d['tn']:>5}{d['fn']:>5}"
            f"{d['precision']:>8.3f}{d['recall']:>8.3f}{d['fpr']:>8.3f}"
        )
    if result.misses:
        lines.append("")
        lines.append(f"misses ({len(result.misses)}):")
        for row, d in result.misses:
            kind = "FN" if row.label == "help" else "FP"
            why = f" -> {d.category} via {d.via}: {d.term!r}" if d.show else ""
            note = f"  # {row.note}" if row.note else ""
            lines.append(f"  {kind} {row.country} {row.lang:7} {row.query!r}{why}{note}")
    return "\n".join(lines)
