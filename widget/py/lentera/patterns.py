"""Expand the lexicon pattern syntax into literal phrases.

    a b          the words in order
    (a|b|)       one of the alternatives; an empty one makes the group optional
    {root}       the root and its inflections in the term's language (morphology.inflect)
    @set         any entry of a word set

Groups nest. Expansion is a cartesian product, so a cap stops a pattern from exploding by accident.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from lentera.morphology import inflect

MAX_EXPANSIONS = 20_000
_TOKEN = re.compile(r"\(|\)|\||\{[^{}]*\}|@[\w-]+|[^(){}|@]+")

SetLookup = Callable[[str, str], list[str]]  # (set name, language) -> phrases


class PatternError(ValueError):
    pass


def expand(pattern: str, lang: str, sets: SetLookup | None = None, keep_empty: bool = False) -> list[str]:
    """Every literal phrase `pattern` stands for, in order, without duplicates (and "" if it may be empty and
    `keep_empty` is set)."""
    tokens = _TOKEN.findall(pattern)
    if "".join(tokens) != pattern:
        raise PatternError(f"unbalanced braces in {pattern!r}")
    alternatives, rest = _parse_alternatives(tokens, 0, lang, sets)
    if rest != len(tokens):
        raise PatternError(f"unbalanced parentheses in {pattern!r}")
    return list(dict.fromkeys(" ".join(a.split()) for a in alternatives if keep_empty or a.strip()))


def units(pattern: str) -> list[str]:
    """The pattern split at spaces outside groups: `(kamar mandi|wc) {pukul}` -> ['(kamar mandi|wc)', '{pukul}']."""
    out: list[str] = []
    depth = 0
    current = ""
    for ch in pattern:
        depth += ch in "({"
        depth -= ch in ")}"
        if ch.isspace() and depth == 0:
            if current:
                out.append(current)
            current = ""
        else:
            current += ch
    if current:
        out.append(current)
    return out


def _parse_alternatives(tokens: list[str], i: int, lang: str, sets: SetLookup | None) -> tuple[list[str], int]:
    branches: list[str] = []
    sequence: list[list[str]] = []
    while i < len(tokens):
        tok = tokens[i]
        if tok == "(":
            inner, i = _parse_alternatives(tokens, i + 1, lang, sets)
            if i >= len(tokens) or tokens[i] != ")":
                raise PatternError("unbalanced parentheses: missing ')'")
            sequence.append(inner)
            i += 1
        elif tok == ")":
            break
        elif tok == "|":
            branches.extend(_product(sequence))
            sequence = []
            i += 1
        else:
            sequence.append(_atom(tok, lang, sets))
            i += 1
    branches.extend(_product(sequence))
    return branches, i


def _atom(tok: str, lang: str, sets: SetLookup | None) -> list[str]:
    if tok.startswith("{"):
        root = tok[1:-1].strip()
        if not root:
            raise PatternError("empty {}")
        return inflect(lang, root)
    if tok.startswith("@"):
        if sets is None:
            raise PatternError(f"{tok} used where no sets are defined")
        return sets(tok[1:], lang)
    return [tok]


def _product(sequence: list[list[str]]) -> list[str]:
    size = 1
    for options in sequence:
        size *= max(1, len(options))
    if size > MAX_EXPANSIONS:
        raise PatternError(f"expands to {size} phrases (limit {MAX_EXPANSIONS})")
    return ["".join(parts) for parts in itertools.product(*sequence)] if sequence else [""]


def set_lookup(sets: dict[str, dict[str, list[str]]]) -> SetLookup:
    """Expand `@name` from a lexicon's sets: its phrases in the term's language, or in all its languages when it
    has none in that language (code-mixing). Cached: a set is expanded once per language."""
    cache: dict[tuple[str, str], list[str]] = {}

    def lookup(name: str, lang: str) -> list[str]:
        if (name, lang) not in cache:
            if name not in sets:
                raise PatternError(f"unknown set @{name}")
            langs = [lang] if lang in sets[name] else list(sets[name])
            cache[(name, lang)] = [p for lg in langs for pat in sets[name][lg] for p in expand(pat, lg, lookup)]
        return cache[(name, lang)]

    return lookup
