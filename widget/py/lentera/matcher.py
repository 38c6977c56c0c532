"""Decide whether a query shows the notice: Aho-Corasick over normalised text, then boundaries, exclusions,
combos and the unfinished last word.

Pure Python on purpose: it must run unchanged in Pyodide, where C extensions such as pyahocorasick are not
available, and one pass over a 30-character query costs microseconds. The automaton walks the *bare* text
(tone marks stripped) so one key serves both spellings; a query typed with marks must then agree with the
term's marks (so `danh sách` is not `đánh`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise, product
from typing import Any

from lentera.compile import EXCLUSION, SET_WORD, TERM, TYPO
from lentera.normalize import (
    HAN,
    HANGUL,
    HANGUL_VOWELS,
    LATIN,
    TAMIL,
    THAI,
    Normalized,
    is_word_char,
    normalize,
    script_of,
    strip_marks,
    two_set_to_jamo,
)

_THAI_LEADING_VOWELS = frozenset("เแโใไ")
_THAI_FOLLOWING = frozenset("ะาำๅ")

# The unfinished last word completes a term only when this much of it is typed (see docs/matching.md).
PREFIX_MIN = {LATIN: 5, TAMIL: 4, THAI: 4, HAN: 2, HANGUL: 5}
PREFIX_MIN_LAST_WORD = 3  # letters of the last, unfinished word in a multi-word term
PREFIX_MIN_SHARE = 0.6  # of the shortest completion


@dataclass(frozen=True, slots=True)
class Entry:
    text: str  # normalised, with marks
    kind: str  # TERM, TYPO, SET_WORD or EXCLUSION
    ref: Any  # category index for terms, set name for set words
    lang: str


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    entry: Entry


@dataclass(frozen=True)
class Decision:
    show: bool
    category: str | None = None
    term: str | None = None
    lang: str | None = None
    span: tuple[int, int] | None = None
    via: str | None = None  # term, typo, combo, prefix, keyboard
    normalized: str = ""
    vetoed: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "show": self.show,
            "category": self.category,
            "term": self.term,
            "lang": self.lang,
            "span": list(self.span) if self.span else None,
            "via": self.via,
            "normalized": self.normalized,
            "vetoed": list(self.vetoed),
        }


class Automaton:
    """Aho-Corasick over string keys; outputs are merged along failure links at build time."""

    def __init__(self, keys: list[str]) -> None:
        goto: list[dict[str, int]] = [{}]
        depth = [0]
        own: list[list[int]] = [[]]
        for k, key in enumerate(keys):
            node = 0
            for ch in key:
                nxt = goto[node].get(ch)
                if nxt is None:
                    nxt = len(goto)
                    goto[node][ch] = nxt
                    goto.append({})
                    depth.append(depth[node] + 1)
                    own.append([])
                node = nxt
            own[node].append(k)
        fail = [0] * len(goto)
        out: list[tuple[int, ...]] = [()] * len(goto)
        order: list[int] = []
        queue = deque(goto[0].values())
        while queue:
            node = queue.popleft()
            order.append(node)
            out[node] = (*own[node], *out[fail[node]])
            for ch, child in goto[node].items():
                f = fail[node]
                while f and ch not in goto[f]:
                    f = fail[f]
                fail[child] = goto[f].get(ch, 0) if goto[f].get(ch, 0) != child else 0
                queue.append(child)
        self.goto, self.fail, self.out, self.depth, self.own = goto, fail, out, depth, own
        self.order = order  # breadth-first, for bottom-up summaries

    def scan(self, text: str) -> tuple[list[tuple[int, int]], int]:
        """All (end, key) matches in `text`, and the state after the last character."""
        goto, fail, out = self.goto, self.fail, self.out
        node = 0
        found: list[tuple[int, int]] = []
        for i, ch in enumerate(text):
            while node and ch not in goto[node]:
                node = fail[node]
            node = goto[node].get(ch, 0)
            if out[node]:
                found.extend((i + 1, k) for k in out[node])
        return found, node


class Spans:
    """Disjoint, sorted intervals: overlap and containment tests in O(log n), so long queries stay linear."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end) - 1
        return i >= 0 and self.ends[i] > start

    def contains(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1
        return i >= 0 and self.ends[i] >= end


def _starts_word(text: str, start: int, first: str) -> bool:
    script = script_of(first)
    if script in (HAN, HANGUL) or start == 0:
        return True
    prev = text[start - 1]
    if script == THAI:
        return prev not in _THAI_LEADING_VOWELS
    return not is_word_char(prev) or script_of(prev) != script


def _ends_word(text: str, end: int, last: str) -> bool:
    if end >= len(text):
        return True
    script, nxt = script_of(last), text[end]
    if script in (HAN, TAMIL):
        return True
    if script == THAI:
        return not (nxt in _THAI_FOLLOWING or (not nxt.isalpha() and is_word_char(nxt)))
    if script == HANGUL:
        if nxt in HANGUL_VOWELS:  # the key's last consonant would be the next syllable's first
            return False
        if last in HANGUL_VOWELS and script_of(nxt) == HANGUL:  # the next consonant may close this syllable
            return end + 1 < len(text) and text[end + 1] in HANGUL_VOWELS
        return True
    return not is_word_char(nxt) or script_of(nxt) != script


class Matcher:
    """One country's compiled lexicon, ready to check queries."""

    def __init__(self, compiled: dict[str, Any]) -> None:
        self.country: str = compiled["country"]
        self.categories: list[str] = compiled["categories"]
        self.combos: list[tuple[int, list[str]]] = [(ci, parts) for ci, parts in compiled["combos"]]
        by_key: dict[str, list[Entry]] = {}
        for text, kind, ref, lang in compiled["entries"]:
            bare = strip_marks(text)
            by_key.setdefault(bare, []).append(Entry(text, kind, ref, lang))
        self.keys = list(by_key)
        self.entries = [by_key[k] for k in self.keys]
        self.automaton = Automaton(self.keys)
        self.has_korean = any(e.lang == "ko" for es in self.entries for e in es)
        self._summarise_subtrees()

    def _summarise_subtrees(self) -> None:
        """Per trie node: may an unfinished word ending here complete only help terms, and which category."""
        a = self.automaton
        n = len(a.goto)
        pure = [True] * n
        has_exclusion = [False] * n
        category = [len(self.categories)] * n
        shortest = [10**9] * n
        for node in reversed([0, *a.order]):
            for k in a.own[node]:
                for e in self.entries[k]:
                    if e.kind in (TERM, TYPO):
                        category[node] = min(category[node], e.ref)
                    else:
                        pure[node] = False
                        has_exclusion[node] |= e.kind == EXCLUSION
                shortest[node] = min(shortest[node], len(self.keys[k]))
            for child in a.goto[node].values():
                pure[node] &= pure[child]
                has_exclusion[node] |= has_exclusion[child]
                category[node] = min(category[node], category[child])
                shortest[node] = min(shortest[node], shortest[child])
        self._pure, self._has_exclusion, self._category, self._shortest = pure, has_exclusion, category, shortest

    # --- checking ----------------------------------------------------------------------------------------

    def check(self, query: str) -> Decision:
        norm = normalize(query)
        hits, pending, state = self._hits(norm)
        views: list[tuple[Normalized, list[Hit], int, str]] = [(norm, hits, state, "term")]
        if self.has_korean and any(c.isascii() and c.isalpha() for c in query):
            kb = normalize(two_set_to_jamo(query))
            kb_hits, _, kb_state = self._hits(kb)
            kb_hits = [h for h in kb_hits if h.entry.lang == "ko"]
            views.append((kb, kb_hits, kb_state, "keyboard"))

        vetoed: list[str] = []
        for view, view_hits, view_state, via in views:
            exclusions = Spans([(h.start, h.end) for h in view_hits if h.entry.kind == EXCLUSION]
                               + (pending if view is norm else []))
            kept = []
            for h in view_hits:
                if h.entry.kind == EXCLUSION:
                    continue
                if exclusions.overlaps(h.start, h.end):
                    vetoed.append(view.text[h.start : h.end])
                    continue
                kept.append(h)
            decision = self._decide(view, kept, view_state, exclusions, via, query)
            if decision.show:
                return decision
        return Decision(False, normalized=norm.text, vetoed=tuple(dict.fromkeys(vetoed)))

    def _hits(self, norm: Normalized) -> tuple[list[Hit], list[tuple[int, int]], int]:
        text, bare = norm.text, norm.bare
        found, state = self.automaton.scan(bare)
        hits: list[Hit] = []
        hashtags = Spans(list(norm.hashtags))
        for end, k in found:
            key = self.keys[k]
            start = end - len(key)
            in_hashtag = hashtags.contains(start, end)
            bounded = _starts_word(bare, start, key[0]) and _ends_word(bare, end, key[-1])
            for e in self.entries[k]:
                if norm.marked and text[start:end] != e.text:
                    continue
                if bounded or (in_hashtag and e.kind == TERM and len(key) >= 4):
                    hits.append(Hit(start, end, e))
        # An exclusion that the unfinished last word is still spelling out ("pukul ber" -> "pukul berapa")
        # vetoes what it overlaps, once the person has typed past its first word.
        pending: list[tuple[int, int]] = []
        if norm.unfinished:
            node = state
            while node:
                depth = self.automaton.depth[node]
                start = len(bare) - depth
                typed = bare[start:]
                if self._has_exclusion[node] and " " in typed.strip() and _starts_word(bare, start, bare[start]):
                    pending.append((start, len(bare)))
                node = self.automaton.fail[node]
        return hits, pending, state

    def _decide(
        self,
        norm: Normalized,
        hits: list[Hit],
        state: int,
        exclusions: Spans,
        via: str,
        query: str,
    ) -> Decision:
        terms = [h for h in hits if h.entry.kind in (TERM, TYPO)]
        if terms:
            best = min(terms, key=lambda h: (h.entry.kind == TYPO, -(h.end - h.start), h.entry.ref))
            kind = "typo" if best.entry.kind == TYPO else via
            return self._decision(norm, best.start, best.end, best.entry.ref, best.entry.lang, kind)
        combo = self._combo(hits)
        if combo:
            ci, start, end, lang = combo
            return self._decision(norm, start, end, ci, lang, "combo")
        prefix = self._prefix(norm, state, exclusions)
        if prefix:
            ci, start = prefix
            return self._decision(norm, start, len(norm.text), ci, None, "prefix")
        return Decision(False, normalized=norm.text)

    def _decision(self, norm: Normalized, start: int, end: int, ci: int, lang: str | None, via: str) -> Decision:
        return Decision(
            True, self.categories[ci], norm.text[start:end], lang, (start, end), via, norm.text
        )

    def _combo(self, hits: list[Hit]) -> tuple[int, int, int, str] | None:
        by_set: dict[str, list[Hit]] = {}
        for h in hits:
            if h.entry.kind == SET_WORD:
                by_set.setdefault(h.entry.ref, []).append(h)
        if not by_set:
            return None
        for ci, parts in self.combos:
            if not all(p in by_set for p in parts):
                continue
            # The first and last few hits of each part are enough to find a non-overlapping choice, and keep a
            # long query with thousands of set words from turning this product quadratic.
            options = [by_set[p][:3] + by_set[p][-3:] if len(by_set[p]) > 6 else by_set[p] for p in parts]
            for choice in product(*options):
                spans = sorted((h.start, h.end) for h in choice)
                if all(a[1] <= b[0] for a, b in pairwise(spans)):
                    return ci, spans[0][0], spans[-1][1], choice[0].entry.lang
        return None

    def _prefix(self, norm: Normalized, state: int, exclusions: Spans) -> tuple[int, int] | None:
        """The unfinished last word completes a help term, and nothing else in the lexicon."""
        if not norm.unfinished:
            return None
        bare = norm.bare
        node = state
        while node:
            depth = self.automaton.depth[node]
            start = len(bare) - depth
            typed = bare[start:]
            script = script_of(typed[0])
            last_word = typed.rsplit(" ", 1)[-1]
            if (
                self._pure[node]
                and self._category[node] < len(self.categories)
                and _starts_word(bare, start, typed[0])
                and depth >= PREFIX_MIN.get(script, 5)
                and depth >= PREFIX_MIN_SHARE * self._shortest[node]
                and (" " not in typed or len(last_word) >= PREFIX_MIN_LAST_WORD)
                and not exclusions.overlaps(start, len(bare))
            ):
                return self._category[node], start
            node = self.automaton.fail[node]
        return None

    def explain(self, query: str) -> Iterator[str]:
        d = self.check(query)
        yield f"normalised: {d.normalized}"
        if d.show:
            yield f"show: yes ({d.category}) via {d.via}: {d.term!r} [{d.lang or '-'}] at {d.span}"
        else:
            yield "show: no"
        if d.vetoed:
            yield f"vetoed by exclusions: {', '.join(d.vetoed)}"
