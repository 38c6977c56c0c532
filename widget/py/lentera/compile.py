"""Compile lexicons into the compact, JSON-able form the matcher loads (in CPython and in the browser).

Pattern expansion, morphology and normalisation all happen here, once, at build time: the browser never parses
TOML or runs the morphology rules: the shipped form (pack) is the matcher's own tables.
"""

from __future__ import annotations

import itertools
import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lentera.normalize import normalize, strip_marks

if TYPE_CHECKING:
    from lentera.lexicon import Lexicon

# The browser imports this module only for the constants below (through the matcher), so the lexicon reader
# (tomllib) and the pattern expander (morphology) are imported where they are used: the browser never runs
# them, and the bundle's standard library can leave tomllib out.

FORMAT = 2  # the in-memory form: compile_lexicon(), what Matcher() takes
PACKED_FORMAT = 4  # the shipped form: pack() / unpack(), what dumps() writes and runtime.load() reads
TERM, SEGMENT, EXCLUSION, SET = "t", "g", "x", "s"
# A pattern that expands to more phrases than this is matched as a sequence of segments (one per space-separated
# unit) instead of as a list of phrases: `@partner {pukul} @me` stays a few hundred entries, not a hundred
# thousand, so compiling, shipping and loading stay small and the key list's size stays flat.
SEQUENCE_ABOVE = 48


@cache
def _norm(phrase: str) -> str:
    return normalize(phrase).text if phrase else ""


def compile_lexicon(lex: Lexicon) -> dict[str, Any]:
    from lentera.patterns import PatternError, expand, set_lookup, units

    set_phrases = set_lookup(lex.sets)

    entries: dict[tuple[str, str, str | int, str], None] = {}
    segments: dict[tuple[str, ...], int] = {}
    rules: dict[tuple[str, str | int, str, tuple[int, ...]], None] = {}  # symbols: segments >= 0, sets < 0

    def segment(phrases: list[str], lang: str) -> int:
        norms = tuple(sorted({n for p in phrases if (n := _norm(p))}))
        if norms not in segments:
            segments[norms] = len(segments)
            for n in norms:
                entries[(n, SEGMENT, segments[norms], lang)] = None
        return segments[norms]

    set_ids: dict[str, int] = {}

    def set_symbol(name: str) -> int:
        """A word set as one symbol of sequence rules (negative, apart from segment ids), compiled once: its
        entries become literal phrases or rules of their own, so a set of long patterns never multiplies out."""
        if name not in set_ids:
            if name not in lex.sets:
                raise PatternError(f"unknown set @{name}")
            set_ids[name] = symbol = -(len(set_ids) + 1)
            for lg, patterns in lex.sets[name].items():
                for pat in patterns:
                    add_pattern(pat, SET, symbol, lg)
        return set_ids[name]

    def add_pattern(pattern: str, kind: str, ref: str | int, lang: str) -> None:
        parts = units(pattern)
        items: list[int | list[str]] = [
            set_symbol(u[1:]) if u.startswith("@") and u[1:] in lex.sets else expand(u, lang, set_phrases, True)
            for u in parts
        ]
        size = 1
        for item in items:
            size *= len(item) if isinstance(item, list) else 10**6
        if all(isinstance(item, list) for item in items) and (len(parts) == 1 or size <= SEQUENCE_ABOVE):
            for phrase in expand(pattern, lang, set_phrases):
                if norm := _norm(phrase):
                    entries[(norm, kind, ref, lang)] = None
            return
        ids = [item if isinstance(item, int) else segment(item, lang) if any(item) else None for item in items]
        optional = [i for i, item in enumerate(items) if isinstance(item, list) and "" in item]
        for drop in itertools.product((False, True), repeat=len(optional)):
            dropped = {optional[j] for j, d in enumerate(drop) if d}
            seq = tuple(x for i, x in enumerate(ids) if i not in dropped and x is not None)
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
                    parts.append(set_symbol(part[1:]))
                else:  # a literal pattern part
                    lang = lex.default_language
                    parts.append(segment(expand(part.strip("\"'"), lang, set_phrases), lang))
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
    from lentera.lexicon import load_all

    lexicons = load_all(countries, lexicon_dir)
    return {"format": FORMAT, "countries": {cc: compile_lexicon(lex) for cc, lex in lexicons.items()}}


# ------------------------------------------------------------------------------------------------ packing
#
# The phrase list is most of a compiled lexicon (22,000 [text, kind, ref, lang] entries for ID) and the browser
# downloads it and builds a matcher from it before ready, in Pyodide, where every Python-level step per phrase
# counts. So it ships in the form the matcher uses (PACKED_FORMAT), which json.loads (C) builds in one go:
#   "keys":    the distinct keys (phrases with their tone marks stripped), sorted: Matcher's Phrases as they are;
#   "kinds":   the distinct [kind, ref, lang] of the entries;
#   "entries": for each key, its entries: an index into "kinds" for an entry spelt as its key, or a list of
#              such indices and [index, text] for an entry spelt with marks (Vietnamese `đánh` under `danh`).
# Entries keep their order within a key; across keys they follow the keys' order, which no decision depends on.


def pack(bundle: dict[str, Any]) -> dict[str, Any]:
    """The shipped form of compile_bundle()'s result; unpack(pack(b)) == b up to the order of the entries."""
    return {"format": PACKED_FORMAT, "countries": {cc: pack_country(c) for cc, c in bundle["countries"].items()}}


def pack_country(country: dict[str, Any]) -> dict[str, Any]:
    """One country of pack()'s form (Matcher reads only this form)."""
    by_key: dict[str, list[list[Any]]] = {}
    for entry in country["entries"]:
        by_key.setdefault(strip_marks(entry[0]), []).append(entry)
    keys = sorted(by_key)
    kinds: dict[tuple[str, Any, str], int] = {}
    packed: list[Any] = []
    for key in keys:
        items = [
            i if text == key else [i, text]
            for text, kind, ref, lang in by_key[key]
            for i in [kinds.setdefault((kind, ref, lang), len(kinds))]
        ]
        packed.append(items[0] if len(items) == 1 and isinstance(items[0], int) else items)
    rest = {k: v for k, v in country.items() if k != "entries"}
    return {**rest, "keys": keys, "kinds": [list(k) for k in kinds], "entries": packed}


def unpack(packed: dict[str, Any]) -> dict[str, Any]:
    """compile_bundle()'s form from pack()'s (a bundle already in that form is returned as it is)."""
    if packed.get("format") != PACKED_FORMAT:
        return packed
    countries = {}
    for cc, country in packed["countries"].items():
        kinds = country["kinds"]
        entries = [
            [key, *kinds[i]] if isinstance(i, int) else [i[1], *kinds[i[0]]]
            for key, item in zip(country["keys"], country["entries"], strict=True)
            for i in (item if isinstance(item, list) else [item])
        ]
        rest = {k: v for k, v in country.items() if k not in ("keys", "kinds", "entries")}
        countries[cc] = {**rest, "entries": entries}
    return {"format": FORMAT, "countries": countries}


def dumps(bundle: dict[str, Any]) -> str:
    """The bundle as shipped to the browser: packed, compact JSON (runtime.load reads it)."""
    packed = bundle if bundle.get("format") == PACKED_FORMAT else pack(bundle)
    return json.dumps(packed, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_iso)


def _iso(value: Any) -> str:
    return value.isoformat()  # TOML dates in sources
