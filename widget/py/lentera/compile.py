"""Compile lexicons into the compact, JSON-able form the matcher loads (in CPython and in the browser).

Pattern expansion, morphology and normalisation all happen here, once, at build time: the browser never parses
TOML or runs the morphology rules, it only builds its automaton from the phrase list.
"""

from __future__ import annotations

import itertools
import json
from functools import cache
from pathlib import Path
from typing import Any

from lentera.lexicon import Lexicon, load_all
from lentera.normalize import normalize
from lentera.patterns import expand, units

FORMAT = 2
TERM, SEGMENT, EXCLUSION = "t", "g", "x"
# A pattern that expands to more phrases than this is matched as a sequence of segments (one per space-separated
# unit) instead of as a list of phrases: `@partner {pukul} @me` stays a few hundred entries, not a hundred
# thousand, so compiling, shipping and loading stay small and the automaton's size stays flat.
SEQUENCE_ABOVE = 48


@cache
def _norm(phrase: str) -> str:
    return normalize(phrase).text if phrase else ""


def compile_lexicon(lex: Lexicon) -> dict[str, Any]:
    cache: dict[tuple[str, str], list[str]] = {}

    def set_phrases(name: str, lang: str) -> list[str]:
        """A set's phrases in `lang`, or in all its languages when it has none in `lang` (code-mixing)."""
        key = (name, lang)
        if key not in cache:
            by_lang = lex.sets.get(name)
            if by_lang is None:
                raise KeyError(f"unknown set @{name}")
            langs = [lang] if lang in by_lang else list(by_lang)
            cache[key] = [p for lg in langs for pat in by_lang[lg] for p in expand(pat, lg, set_phrases)]
        return cache[key]

    entries: dict[tuple[str, str, str | int, str], None] = {}
    segments: dict[tuple[str, ...], int] = {}
    rules: dict[tuple[str, str | int, str, tuple[int, ...]], None] = {}

    def segment(phrases: list[str], lang: str) -> int:
        norms = tuple(sorted({n for p in phrases if (n := _norm(p))}))
        if norms not in segments:
            segments[norms] = len(segments)
            for n in norms:
                entries[(n, SEGMENT, segments[norms], lang)] = None
        return segments[norms]

    def add_pattern(pattern: str, kind: str, ref: str | int, lang: str) -> None:
        parts = units(pattern)
        options = [expand(u, lang, set_phrases, keep_empty=True) for u in parts]
        size = 1
        for opts in options:
            size *= len(opts)
        if len(parts) == 1 or size <= SEQUENCE_ABOVE:
            for phrase in expand(pattern, lang, set_phrases):
                if norm := _norm(phrase):
                    entries[(norm, kind, ref, lang)] = None
            return
        ids = [segment(opts, lang) if any(opts) else -1 for opts in options]
        optional = [i for i, opts in enumerate(options) if "" in opts]
        for drop in itertools.product((False, True), repeat=len(optional)):
            dropped = {optional[j] for j, d in enumerate(drop) if d}
            seq = tuple(ids[i] for i in range(len(ids)) if i not in dropped and ids[i] >= 0)
            if seq:
                rules[(kind, ref, lang, seq)] = None

    for ci, cat in enumerate(lex.categories.values()):
        for lang, patterns in cat.terms.items():
            for pat in patterns:
                add_pattern(pat, TERM, ci, lang)
    for lang, patterns in lex.exclusions.items():
        for pat in patterns:
            add_pattern(pat, EXCLUSION, "", lang)
    combos: list[list[Any]] = []
    for ci, cat in enumerate(lex.categories.values()):
        for combo in cat.combos:
            parts = []
            for part in (p.strip() for p in combo.split("+")):
                if part.startswith("@") and part[1:] in lex.sets:
                    name = part[1:]
                    phrases = [p for lg, pats in lex.sets[name].items() for pat in pats
                               for p in expand(pat, lg, set_phrases)]
                    lang = next(iter(lex.sets[name]))
                else:  # a literal pattern part
                    lang = lex.default_language
                    phrases = expand(part.strip("\"'"), lang, set_phrases)
                parts.append(segment(phrases, lang))
            combos.append([ci, parts])

    return {
        "country": lex.country,
        "name": lex.name,
        "languages": lex.languages,
        "default_language": lex.default_language,
        "categories": list(lex.categories),
        "entries": [list(e) for e in entries],
        "rules": [[kind, ref, lang, list(seq)] for kind, ref, lang, seq in rules],
        "combos": combos,
        "notices": lex.notices,
        "resources": [_public_resource(r) for r in lex.resources if r.verified],
    }


def _public_resource(resource: Any) -> dict[str, Any]:
    """What the browser needs to render a verified resource (dates as ISO strings, JSON-safe)."""
    data = {k: v for k, v in vars(resource).items() if v not in ("", [], {}, None)}
    if resource.last_verified:
        data["last_verified"] = resource.last_verified.isoformat()
    data["emergency"] = resource.emergency
    return data


def compile_bundle(countries: list[str] | None = None, lexicon_dir: Path | None = None) -> dict[str, Any]:
    """Compiled lexicons for `countries` (None: every country file), keyed by country code."""
    lexicons = load_all(countries, lexicon_dir)
    return {"format": FORMAT, "countries": {cc: compile_lexicon(lex) for cc, lex in lexicons.items()}}


def dumps(bundle: dict[str, Any]) -> str:
    return json.dumps(bundle, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_iso)


def _iso(value: Any) -> str:
    return value.isoformat()  # TOML dates in sources
