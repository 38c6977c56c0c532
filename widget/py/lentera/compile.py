"""Compile lexicons into the compact, JSON-able form the matcher loads (in CPython and in the browser).

Pattern expansion, morphology and normalisation all happen here, once, at build time: the browser never parses
TOML or runs the morphology rules, it only builds its key table from the phrase list.
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
PACKED_FORMAT = 3  # the shipped form: pack() / unpack(), what dumps() writes and runtime.load() reads
TERM, SEGMENT, EXCLUSION, SET = "t", "g", "x", "s"
# A pattern that expands to more phrases than this is matched as a sequence of segments (one per space-separated
# unit) instead of as a list of phrases: `@partner {pukul} @me` stays a few hundred entries, not a hundred
# thousand, so compiling, shipping and loading stay small and the key table's size stays flat.
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
# The phrase list is most of a compiled bundle (71k entries, 2.9 MB as [text, kind, ref, lang] lists) and the
# browser downloads and parses all of it before ready, so it is shipped packed (PACKED_FORMAT):
#   "strings": every distinct phrase of every country once (the English pack is in all seven), sorted and
#              front-coded: each line is one character chr(48 + n) saying how many leading characters it
#              shares with the line before, then the rest of the phrase;
#   per country "groups": [kind, ref, lang, indices] for each run of consecutive entries with the same
#              (kind, ref, lang), indices into "strings", sorted, written as base-36 gaps from the previous
#              index ("gap"), or "gap.more" for a stretch of `more` further consecutive indices.
# Runs keep the entries' order exactly, up to the order inside a run: there all entries share kind, ref and
# lang, so their order cannot change a decision (see unpack). Compressed, this is about a third of the JSON.

_GAP_BASE = 36
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _base36(n: int) -> str:
    out = ""
    while True:
        n, r = divmod(n, _GAP_BASE)
        out = _DIGITS[r] + out
        if not n:
            return out


def pack(bundle: dict[str, Any]) -> dict[str, Any]:
    """The shipped form of compile_bundle()'s result; unpack(pack(b)) == b up to the order inside a run."""
    texts = sorted({e[0] for c in bundle["countries"].values() for e in c["entries"]})
    index = {t: i for i, t in enumerate(texts)}
    lines, prev = [], ""
    for t in texts:
        if "\n" in t:
            raise ValueError(f"a phrase with a line break cannot be packed: {t!r}")
        n = 0
        limit = min(len(t), len(prev))
        while n < limit and t[n] == prev[n]:
            n += 1
        lines.append(chr(48 + n) + t[n:])
        prev = t
    countries = {}
    for cc, country in bundle["countries"].items():
        groups = []
        for (kind, ref, lang), run in itertools.groupby(country["entries"], key=lambda e: (e[1], e[2], e[3])):
            ids = sorted(index[e[0]] for e in run)
            tokens, last, k = [], -1, 0
            while k < len(ids):  # each stretch of consecutive indices is one token: "gap" or "gap.more"
                j = k
                while j + 1 < len(ids) and ids[j + 1] == ids[j] + 1:
                    j += 1
                gap = _base36(ids[k] - last - 1)
                tokens.append(gap if j == k else f"{gap}.{_base36(j - k)}")
                last, k = ids[j], j + 1
            groups.append([kind, ref, lang, " ".join(tokens)])
        countries[cc] = {**{k: v for k, v in country.items() if k != "entries"}, "groups": groups}
    # "bare": no phrase has marks to strip, so the phrase table, sorted and front-coded, is also the matcher's
    # sorted keys with each one's common prefix with the previous: the matcher's prefix table comes cheap.
    bare = all(strip_marks(t) == t for t in texts)
    return {"format": PACKED_FORMAT, "strings": "\n".join(lines), "countries": countries, "bare": bare}


def unpack_strings(packed: dict[str, Any], shared: list[int] | None = None) -> list[str]:
    """The phrase table of a packed bundle (decode once, share between countries); `shared`, if given, gets
    each phrase's common prefix length with the previous one."""
    out: list[str] = []
    prev = ""
    for line in packed["strings"].split("\n") if packed["strings"] else []:
        n = ord(line[0]) - 48
        prev = prev[:n] + line[1:]
        out.append(prev)
        if shared is not None:
            shared.append(n)
    return out


def key_prefixes(strings: list[str], shared: list[int]) -> set[str]:
    """Every proper prefix of sorted `strings`, given each one's common prefix with the previous: only the
    prefixes longer than that are new (a third of all prefixes, for ID)."""
    return {s[:i] for s, n in zip(strings, shared, strict=True) for i in range(n + 1, len(s))}


def unpack_country(country: dict[str, Any], strings: list[str]) -> dict[str, Any]:
    """One country of a packed bundle in the form Matcher() takes (compile_lexicon's)."""
    if "entries" in country:
        return country
    entries = []
    for kind, ref, lang, gaps in country["groups"]:
        i = -1
        for token in gaps.split(" ") if gaps else ():
            gap, _, more = token.partition(".")
            i += int(gap, _GAP_BASE) + 1
            last = i + (int(more, _GAP_BASE) if more else 0)
            entries.extend([strings[n], kind, ref, lang] for n in range(i, last + 1))
            i = last
    return {**{k: v for k, v in country.items() if k != "groups"}, "entries": entries}


def unpack(packed: dict[str, Any]) -> dict[str, Any]:
    """compile_bundle()'s form from pack()'s (a bundle already in that form is returned as it is)."""
    if packed.get("format") != PACKED_FORMAT:
        return packed
    strings = unpack_strings(packed)
    countries = {cc: unpack_country(c, strings) for cc, c in packed["countries"].items()}
    return {"format": FORMAT, "countries": countries}


def dumps(bundle: dict[str, Any]) -> str:
    """The bundle as shipped to the browser: packed, compact JSON (runtime.load reads it)."""
    packed = pack(bundle) if "strings" not in bundle else bundle
    return json.dumps(packed, ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=_iso)


def _iso(value: Any) -> str:
    return value.isoformat()  # TOML dates in sources
