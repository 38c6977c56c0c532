"""Decide whether a query shows the notice: every key found in the normalised text, then boundaries,
exclusions, combos and the unfinished last word.

Pure Python on purpose: it must run unchanged in Pyodide, where C extensions such as pyahocorasick are not
available, and a 30-character query costs microseconds. The keys are looked up in the *bare* text
(tone marks stripped) so one key serves both spellings; a query typed with marks must then agree with the
term's marks (so `danh sách` is not `đánh`).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import pairwise, product
from typing import Any, NamedTuple

from lentera.compile import EXCLUSION, SEGMENT, SET, TERM, pack_country
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
    two_set_to_jamo,
)

_THAI_LEADING_VOWELS = frozenset("เแโใไ")
_THAI_FOLLOWING = frozenset("ะาำๅ")
_LAST = "\U0010ffff"  # sorts after every letter: [prefix, prefix + _LAST) holds the keys that start with it

# The unfinished last word completes a term only when this much of it is typed (see docs/matching.md).
PREFIX_MIN = {LATIN: 5, TAMIL: 4, THAI: 4, HAN: 2, HANGUL: 5}
PREFIX_MIN_LAST_WORD = 3  # letters of the last, unfinished word of a two-word term (any, after two whole words)
PREFIX_MIN_SHARE = 0.6  # of the shortest completion
TYPO_MIN_LENGTH = 6  # one-letter slips are corrected only in words this long: shorter ones collide too often


class Entry(NamedTuple):  # a tuple: cheap to make (a packed matcher makes them as queries find their keys)
    text: str  # normalised, with marks
    kind: str  # TERM, TYPO, SET_WORD or EXCLUSION
    ref: Any  # category index for terms, set name for set words
    lang: str


class Hit(NamedTuple):  # a tuple too: dozens are made per query
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


class Phrases:
    """The keys, sorted: a query walks forward from each place where a word may start, narrowing a range of
    the sorted keys one letter at a time (bisect), and stops where no key goes on.

    This replaced first an Aho-Corasick automaton (its failure links and summaries were a Python loop over every
    trie node, 0.4-0.9 s a country in Pyodide), then a dict of every key and key prefix (a set of 60,000
    strings for ID, a third of the browser's time from lexicon to ready). Sorted keys cost nothing to build
    when the lexicon ships them sorted (compile.pack), and a step of the walk is one bisect in C.
    """

    def __init__(self, keys: list[str]) -> None:
        """`keys`: distinct, non-empty and sorted."""
        self.keys = keys
        self.longest = max(map(len, keys), default=0)
        # The range of keys under each prefix of one and two letters: most walks end within two letters, where
        # this dict answers in one lookup (a few hundred to a few thousand prefixes, one bisect each).
        self.ranges: dict[str, tuple[int, int]] = {}
        self._add_ranges(0, len(keys), 1)
        for lo, hi in list(self.ranges.values()):
            self._add_ranges(lo, hi, 2)

    def _add_ranges(self, lo: int, hi: int, depth: int) -> None:
        """The range of each `depth`-letter prefix of keys[lo:hi] (keys that share the letters before it), found
        by jumping from one range to the next rather than by a loop over the keys."""
        keys = self.keys
        while lo < hi:
            if len(keys[lo]) < depth:  # the key that is the shared prefix itself sorts first
                lo += 1
                continue
            prefix = keys[lo][:depth]
            end = bisect_left(keys, prefix + _LAST, lo, hi)
            self.ranges[prefix] = (lo, end)
            lo = end

    def scan(self, text: str, starts: Iterable[int]) -> list[tuple[int, int, int]]:
        """(start, end, key) for every key at one of `starts`, ordered by end, then longest first."""
        keys, ranges, longest, n = self.keys, self.ranges, self.longest, len(text)
        found = []
        for i in starts:
            span = ranges.get(text[i])
            if span is None:  # most places: no key starts with this letter
                continue
            if keys[span[0]] == text[i]:
                found.append((i, i + 1, span[0]))
            pair = text[i : i + 2]
            span = ranges.get(pair) if len(pair) == 2 else None
            if span is None:
                continue
            lo, hi = span
            if keys[lo] == pair:
                found.append((i, i + 2, lo))
            for j in range(i + 3, min(n, i + longest) + 1):
                part = text[i:j]
                lo = bisect_left(keys, part, lo, hi)  # the first key >= part: it starts with part if any does
                if lo == hi:
                    break
                key = keys[lo]
                if key == part:
                    found.append((i, j, lo))
                elif not key.startswith(part):
                    break
        found.sort(key=lambda h: (h[1], h[0]))
        return found

    def tails(self, text: str, starts: list[int]) -> list[int]:
        """Those of `starts` from which the rest of `text` is a key or the start of one, longest first."""
        keys, first = self.keys, len(text) - self.longest
        out = []
        for s in starts:
            if s >= first:
                rest = text[s:]
                i = bisect_left(keys, rest)
                if i < len(keys) and keys[i].startswith(rest):
                    out.append(s)
        return out

    def completions(self, prefix: str) -> range:
        """The keys that start with `prefix`."""
        lo = bisect_left(self.keys, prefix)
        return range(lo, bisect_left(self.keys, prefix + _LAST, lo))


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

    def pokes_out_of(self, start: int, end: int) -> bool:
        """Some interval overlaps [start, end) without lying strictly inside it."""
        i = bisect_left(self.starts, end) - 1
        while i >= 0 and self.ends[i] > start:
            if self.starts[i] < start or self.ends[i] > end or (self.starts[i], self.ends[i]) == (start, end):
                return True
            i -= 1
        return False

    def contains(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, start) - 1
        return i >= 0 and self.ends[i] >= end


def _starts_word(text: str, start: int, first: str) -> bool:
    if start == 0 or text[start - 1] == " ":  # the common case, right for every script
        return True
    return _starts_after(text[start - 1], first)


def _starts_after(prev: str, first: str) -> bool:
    script = script_of(first)
    if script in (HAN, HANGUL):
        return True
    if script == THAI:
        return prev not in _THAI_LEADING_VOWELS
    return not is_word_char(prev) or script_of(prev) != script


_PAIR_STARTS: dict[str, bool] = {}  # two characters -> may a word start at the second (a few hundred pairs)


def _word_starts(text: str, hashtags: tuple[tuple[int, int], ...]) -> list[int]:
    """Where a key may start: where a word may, and anywhere inside a hashtag (#stopkdrt)."""
    starts = [0] if text else []
    memo = _PAIR_STARTS
    for i in range(1, len(text)):
        pair = text[i - 1 : i + 1]
        ok = memo.get(pair)
        if ok is None:
            ok = memo[pair] = pair[0] == " " or _starts_after(pair[0], pair[1])
        if ok:
            starts.append(i)
    if hashtags:
        starts = sorted({*starts, *(i for s, e in hashtags for i in range(s, e))})
    return starts


def _ends_word(text: str, end: int, last: str) -> bool:
    if end >= len(text) or text[end] == " ":  # the common case, right for every script
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


def _marks_agree(typed: str, bare: str, entry: str) -> bool:
    """Each letter was typed without marks, or with the entry's marks (`bo dượng` agrees with `bố dượng`)."""
    return all(t in (b, e) for t, b, e in zip(typed, bare, entry, strict=False))


class PackedEntries(Sequence[list[Entry]]):
    """A packed lexicon's entries by key (compile.pack), made into Entry tuples the first time their key is
    found: before ready the browser makes none of the 20,000 (ID), and a query makes a few."""

    def __init__(self, keys: list[str], kinds: list[list[Any]], packed: list[Any]) -> None:
        self._keys, self._kinds, self._packed = keys, kinds, packed
        self._made: dict[int, list[Entry]] = {}

    def __len__(self) -> int:
        return len(self._packed)

    def __getitem__(self, k: int) -> list[Entry]:  # type: ignore[override]  # by index only
        made = self._made.get(k)
        if made is None:
            key, kinds, item = self._keys[k], self._kinds, self._packed[k]
            # An int: one entry spelt as its key; a list: of those, or of [kind index, text with marks].
            made = self._made[k] = [
                Entry(key, *kinds[i]) if isinstance(i, int) else Entry(i[1], *kinds[i[0]])
                for i in (item if isinstance(item, list) else (item,))
            ]
        return made


class Matcher:
    """One country's compiled lexicon, ready to check queries."""

    def __init__(self, compiled: dict[str, Any]) -> None:
        """`compiled`: one country of compile.pack's form (keys sorted, entries grouped), or compile_lexicon's."""
        self.country: str = compiled["country"]
        self.categories: list[str] = compiled["categories"]
        self.combos: list[tuple[int, list[int]]] = [(ci, parts) for ci, parts in compiled["combos"]]
        self._combos_by_first: dict[int, list[int]] = {}
        for i, (_, parts) in enumerate(self.combos):
            self._combos_by_first.setdefault(parts[0], []).append(i)
        if "keys" not in compiled:  # compile_lexicon's form: made into the shipped one, the only one read here
            compiled = pack_country(compiled)
        self.keys: list[str] = compiled["keys"]
        self.entries = PackedEntries(self.keys, compiled["kinds"], compiled["entries"])
        self.has_korean = any(lang == "ko" for _, _, lang in compiled["kinds"])
        self.phrases = Phrases(self.keys)
        self._summaries: dict[str, tuple[bool, bool, int, int, bool]] = {}
        # Sequence rules as a trie over segment ids: node -> {segment: child}, and what ends at each node.
        self._rule_next: list[dict[int, int]] = [{}]
        self._rule_ends: list[list[Entry]] = [[]]
        for kind, ref, lang, seq in compiled.get("rules", []):
            node = 0
            for seg in seq:
                nxt = self._rule_next[node].get(seg)
                if nxt is None:
                    nxt = self._rule_next[node][seg] = len(self._rule_next)
                    self._rule_next.append({})
                    self._rule_ends.append([])
                node = nxt
            self._rule_ends[node].append(Entry("", kind, ref, lang))

    @cached_property
    def typo_tables(self) -> tuple[set[str], set[str], dict[str, str | None]]:
        """(every word of a key, the words typos are corrected towards, each of those with one letter missing).

        Built on first use, not with the matcher: only queries that show nothing otherwise need it, and in the
        browser it is built just after ready (runtime.prepare), off the path to it (about a third of a build).
        """
        known = {w for k in self.keys for w in k.split(" ")}
        # Words that one-letter typos are corrected towards: long Latin words of terms and segments.
        vocab = {w for k, es in zip(self.keys, self.entries, strict=True) if any(e.kind != EXCLUSION for e in es)
                 for w in k.split(" ") if len(w) >= TYPO_MIN_LENGTH and w.isascii() and w.isalpha()}
        dropped: dict[str, str | None] = {}  # a vocabulary word with one letter missing -> the word
        for w in sorted(vocab):
            for i in range(len(w)):
                d = w[:i] + w[i + 1 :]
                dropped[d] = w if dropped.get(d, w) == w else None  # None: ambiguous
        return known, vocab, dropped

    def _summary(self, prefix: str) -> tuple[bool, bool, int, int, bool]:
        """What `prefix` may complete to: (only help terms, some exclusion, their first category, the shortest
        completion's length, some completion goes on with a letter rather than a space)."""
        if (known := self._summaries.get(prefix)) is not None:
            return known
        pure, has_exclusion, category, shortest, mid_word = True, False, len(self.categories), 10**9, False
        depth = len(prefix)
        for k in self.phrases.completions(prefix):
            key = self.keys[k]
            for e in self.entries[k]:
                if e.kind == TERM:
                    category = min(category, e.ref)
                else:
                    pure = False
                    has_exclusion |= e.kind == EXCLUSION
            shortest = min(shortest, len(key))
            mid_word |= len(key) > depth and key[depth] != " "
        known = self._summaries[prefix] = (pure, has_exclusion, category, shortest, mid_word)
        return known

    # --- checking ----------------------------------------------------------------------------------------

    def check(self, query: str) -> Decision:
        decision = self._check(query)
        if not decision.show and (fixed := self._correct_typos(query)) is not None:
            retry = self._check(fixed)
            if retry.show:
                return replace(retry, via="typo", normalized=decision.normalized)
        return decision

    def _correct_typos(self, query: str) -> str | None:
        """The query with each unknown long word replaced by the one vocabulary word a single slip away
        (a dropped, added or swapped letter; substitutions are left out: `modest` must not become `molest`)."""
        norm = normalize(query)
        if norm.marked:
            return None
        words = norm.text.split(" ")
        changed = False
        last = len(words) - 1 if norm.unfinished else len(words)
        for i, w in enumerate(words):
            # A word still being typed is mostly the start of a longer word (kuantit..., pengunti...): correct it
            # only when long, and never into a completion of itself.
            if i == last and len(w) < TYPO_MIN_LENGTH + 2:
                continue
            if len(w) < TYPO_MIN_LENGTH or not (w.isascii() and w.isalpha()):
                continue
            known, vocab, dropped = self.typo_tables
            if w in known:
                continue
            candidates = {dropped.get(w)}  # the word has an extra letter... or is missing one:
            candidates |= {w[:j] + w[j + 1 :] for j in range(len(w))} & vocab
            candidates |= {w[:j] + w[j + 1] + w[j] + w[j + 2 :] for j in range(len(w) - 1)} & vocab
            candidates.discard(None)
            if i == last:
                candidates = {c for c in candidates if c is not None and not c.startswith(w)}
            if len(candidates) == 1:
                words[i] = candidates.pop()
                changed = True
        return " ".join(words) + (" " if not norm.unfinished else "") if changed else None

    def _check(self, query: str) -> Decision:
        norm = normalize(query)
        hits, pending, tails = self._hits(norm)
        views: list[tuple[Normalized, list[Hit], list[int], str]] = [(norm, hits, tails, "term")]
        # Korean typed with the keyboard left in English mode: only for queries with no Hangul at all, so the
        # Latin letters of a mixed query (`스토커 10cm`) are not reread as jamo.
        if self.has_korean and any(c.isascii() and c.isalpha() for c in query) and not any(
            script_of(c) == HANGUL for c in query
        ):
            kb = normalize(two_set_to_jamo(query))
            kb_hits, _, kb_tails = self._hits(kb)
            kb_hits = [h for h in kb_hits if h.entry.lang == "ko"]
            views.append((kb, kb_hits, kb_tails, "keyboard"))

        vetoed: list[str] = []
        for view, view_hits, view_tails, via in views:
            exclusions = Spans([(h.start, h.end) for h in view_hits if h.entry.kind == EXCLUSION]
                               + (pending if view is norm else []))
            kept = []
            for h in view_hits:
                if h.entry.kind == EXCLUSION:
                    continue
                # An exclusion vetoes the hits it overlaps, unless a longer hit holds it whole: the term
                # `ลูกค้าขอมีอะไร` (a customer asking for sex) is more specific than the exclusion `ลูกค้า`.
                if exclusions.pokes_out_of(h.start, h.end):
                    vetoed.append(view.text[h.start : h.end])
                    continue
                kept.append(h)
            decision = self._decide(view, kept, view_tails, exclusions, via)
            if decision.show:
                return decision
        return Decision(False, normalized=norm.text, vetoed=tuple(dict.fromkeys(vetoed)))

    def _hits(self, norm: Normalized) -> tuple[list[Hit], list[tuple[int, int]], list[int]]:
        """The hits, the pending exclusions, and where the tail that may still grow into a key starts."""
        text, bare = norm.text, norm.bare
        hashtags = Spans(list(norm.hashtags))
        hits: list[Hit] = []
        starts = _word_starts(bare, norm.hashtags)
        for start, end, k in self.phrases.scan(bare, starts):
            key = self.keys[k]
            if not _ends_word(bare, end, key[-1]) and not (len(key) >= 4 and hashtags.contains(start, end)):
                continue  # inside a hashtag, a term may sit anywhere: #stopkdrt
            typed = text[start:end]
            span_marked = norm.marked and typed != bare[start:end]
            for e in self.entries[k]:
                if span_marked and not _marks_agree(typed, bare[start:end], e.text):
                    continue  # typed with marks that disagree: dánh is not đánh
                hits.append(Hit(start, end, e))
        hits.extend(self._sequences(hits, bare))
        # An exclusion that the unfinished last word is still spelling out ("pukul ber" -> "pukul berapa")
        # vetoes what it overlaps, once the person has typed past its first word.
        pending: list[tuple[int, int]] = []
        tails = self.phrases.tails(bare, starts) if norm.unfinished else []
        for start in tails:
            # ...and only while it is inside a word of the exclusion: `ep vo quan he` is finished even if an
            # exclusion goes on with `quan he khi ...`.
            if " " in bare[start:].strip() and _starts_word(bare, start, bare[start]):
                _, has_exclusion, _, _, mid_word = self._summary(bare[start:])
                if has_exclusion and mid_word:
                    pending.append((start, len(bare)))
        return hits, pending, tails

    def _sequences(self, hits: list[Hit], bare: str) -> list[Hit]:
        """Rules made of symbols (segments and word sets: `@partner {pukul} @me`): chains of symbol hits, each
        next one starting where the previous ended or one space later. A set's own rules add hits for the set,
        so the chains are rebuilt until no set gains a hit (sets nest a few levels at most)."""
        symbols = [h for h in hits if h.entry.kind in (SEGMENT, SET)]
        if not symbols or len(self._rule_next) == 1:
            return []
        seen = {(h.start, h.end, h.entry.ref) for h in symbols}
        for _ in range(4):
            found = self._chains(symbols, bare)
            new = [h for h in found if h.entry.kind == SET and (h.start, h.end, h.entry.ref) not in seen]
            if not new:
                break
            symbols += new
            seen.update((h.start, h.end, h.entry.ref) for h in new)
        return [h for h in found if h.entry.kind != SET] + [h for h in symbols if h.entry.kind == SET]

    def _chains(self, symbols: list[Hit], bare: str) -> list[Hit]:
        by_start: dict[int, list[Hit]] = {}
        for h in symbols:
            by_start.setdefault(h.start, []).append(h)
        out: list[Hit] = []
        for first in symbols:
            node = self._rule_next[0].get(first.entry.ref)
            if node is None:
                continue
            stack = [(node, first.end)]
            while stack:
                node, end = stack.pop()
                for e in self._rule_ends[node]:
                    out.append(Hit(first.start, end, Entry(bare[first.start : end], e.kind, e.ref, e.lang)))
                nexts = self._rule_next[node]
                if not nexts:
                    continue
                for pos in (end, end + 1) if end < len(bare) and bare[end] == " " else (end,):
                    for h in by_start.get(pos, ()):
                        child = nexts.get(h.entry.ref)
                        if child is not None:
                            stack.append((child, h.end))
        return out

    def _decide(
        self,
        norm: Normalized,
        hits: list[Hit],
        tails: list[int],
        exclusions: Spans,
        via: str,
    ) -> Decision:
        terms = [h for h in hits if h.entry.kind == TERM]
        if terms:
            best = min(terms, key=lambda h: (-(h.end - h.start), h.entry.ref))
            return self._decision(norm, best.start, best.end, best.entry.ref, best.entry.lang, via)
        combo = self._combo(hits)
        if combo:
            ci, start, end, lang = combo
            return self._decision(norm, start, end, ci, lang, "combo")
        prefix = self._prefix(norm, tails, exclusions)
        if prefix:
            ci, start = prefix
            return self._decision(norm, start, len(norm.text), ci, None, "prefix")
        return Decision(False, normalized=norm.text)

    def _decision(self, norm: Normalized, start: int, end: int, ci: int, lang: str | None, via: str) -> Decision:
        return Decision(
            True, self.categories[ci], norm.text[start:end], lang, (start, end), via, norm.text
        )

    def _combo(self, hits: list[Hit]) -> tuple[int, int, int, str] | None:
        by_set: dict[int, list[Hit]] = {}
        for h in hits:
            if h.entry.kind in (SEGMENT, SET):
                by_set.setdefault(h.entry.ref, []).append(h)
        if not by_set:
            return None
        # Only the combos whose first part has a hit: the cost follows the query, not the number of combos.
        candidates = sorted({i for ref in by_set for i in self._combos_by_first.get(ref, ())})
        for ci, parts in (self.combos[i] for i in candidates):
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

    def _prefix(self, norm: Normalized, tails: list[int], exclusions: Spans) -> tuple[int, int] | None:
        """The unfinished last word completes a help term, and nothing else in the lexicon."""
        if not norm.unfinished:
            return None
        bare = norm.bare
        for start in tails:
            typed = bare[start:]
            depth = len(typed)
            script = script_of(typed[0])
            if script == THAI and start > 0 and script_of(bare[start - 1]) == THAI:
                continue  # Thai has no spaces: a completion must start the Thai run, not sit inside ชุดเจ้าสาว
            if depth < PREFIX_MIN.get(script, 5) or not _starts_word(bare, start, typed[0]):
                continue
            last_word = typed.rsplit(" ", 1)[-1]
            if " " in typed and len(last_word) < PREFIX_MIN_LAST_WORD and typed.count(" ") < 2:
                continue
            pure, _, category, shortest, _ = self._summary(typed)
            if (
                pure
                and category < len(self.categories)
                and depth >= PREFIX_MIN_SHARE * shortest
                and not exclusions.overlaps(start, len(bare))
            ):
                return category, start
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
