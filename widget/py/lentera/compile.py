"""Compile lexicons into the compact, JSON-able form the matcher loads (in CPython and in the browser).

Pattern expansion, morphology and normalisation all happen here, once, at build time: the browser never parses
TOML or runs the morphology rules, it only builds its automaton from the phrase list.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lentera.lexicon import Lexicon, load_all
from lentera.normalize import LATIN, normalize, script_of
from lentera.patterns import expand

FORMAT = 1
TERM, SET_WORD, EXCLUSION, TYPO = "t", "s", "x", "f"
TYPO_MIN_LENGTH = 6  # one-letter typos are matched only in words this long: shorter ones collide too often


def _norm(phrase: str) -> str:
    return normalize(phrase).text


def _typos(word: str) -> set[str]:
    """Edit-distance-1 slips people make while typing fast: a dropped letter or two swapped neighbours.

    Substitutions and insertions are left out on purpose: they multiply variants by the alphabet size and were the
    ones that collided with real words. Doubled letters need no variant: normalisation collapses them.
    """
    drops = {word[:i] + word[i + 1 :] for i in range(len(word))}
    swaps = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return (drops | swaps) - {word}


def _typo_variants(phrase: str) -> set[str]:
    words = phrase.split(" ")
    out: set[str] = set()
    for i, word in enumerate(words):
        if len(word) >= TYPO_MIN_LENGTH and all(script_of(c) == LATIN and c.isalpha() for c in word):
            out.update(" ".join([*words[:i], v, *words[i + 1 :]]) for v in _typos(word) if len(v) >= 5)
    return out


def compile_lexicon(lex: Lexicon, typos: bool = True) -> dict[str, Any]:
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

    categories = list(lex.categories)
    entries: dict[tuple[str, str, str | int, str], None] = {}
    exact: set[str] = set()

    def add(phrase: str, kind: str, ref: str | int, lang: str) -> None:
        norm = _norm(phrase)
        if norm:
            entries[(norm, kind, ref, lang)] = None
            if kind != TYPO:
                exact.add(norm)

    for ci, cat in enumerate(lex.categories.values()):
        for lang, patterns in cat.terms.items():
            for pat in patterns:
                for phrase in expand(pat, lang, set_phrases):
                    add(phrase, TERM, ci, lang)
    combos: list[list[Any]] = []
    for ci, cat in enumerate(lex.categories.values()):
        for combo in cat.combos:
            parts: list[str] = []
            for part in (p.strip() for p in combo.split("+")):
                if part.startswith("@") and part[1:] in lex.sets:
                    parts.append(part[1:])
                else:  # a literal pattern becomes an anonymous one-entry set
                    name = f"~{part}"
                    for lang in lex.languages:
                        for phrase in expand(part.strip("\"'"), lang, set_phrases):
                            add(phrase, SET_WORD, name, lang)
                    parts.append(name)
            combos.append([ci, parts])
    used_sets = {p for _, parts in combos for p in parts if not p.startswith("~")}
    for name in used_sets:
        for lang, patterns in lex.sets[name].items():
            for pat in patterns:
                for phrase in expand(pat, lang, set_phrases):
                    add(phrase, SET_WORD, name, lang)
    for lang, patterns in lex.exclusions.items():
        for pat in patterns:
            for phrase in expand(pat, lang, set_phrases):
                add(phrase, EXCLUSION, "", lang)
    if typos:
        for norm, kind, ref, lang in list(entries):
            if kind == TERM:
                for variant in _typo_variants(norm):
                    if variant not in exact:
                        entries[(variant, TYPO, ref, lang)] = None

    return {
        "country": lex.country,
        "name": lex.name,
        "languages": lex.languages,
        "default_language": lex.default_language,
        "categories": categories,
        "entries": [list(e) for e in entries],
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


def compile_bundle(
    countries: list[str] | None = None, lexicon_dir: Path | None = None, typos: bool = True
) -> dict[str, Any]:
    """Compiled lexicons for `countries` (None: every country file), keyed by country code."""
    lexicons = load_all(countries, lexicon_dir)
    return {"format": FORMAT, "countries": {cc: compile_lexicon(lex, typos) for cc, lex in lexicons.items()}}


def dumps(bundle: dict[str, Any]) -> str:
    return json.dumps(bundle, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_iso)


def _iso(value: Any) -> str:
    return value.isoformat()  # TOML dates in sources
