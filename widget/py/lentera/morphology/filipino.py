"""Filipino (Tagalog) inflections for `{root}` patterns: affixes and first-syllable reduplication.

Covers the verb and noun forms people type about what happened to them, from a root such as `bugbog`:
- infixes -um- and -in- (bumugbog, binugbog), with reduplication for the ongoing and future aspects
  (bumubugbog, binubugbog, bubugbog);
- suffixes -in and -an (-hin and -han after a vowel as well), with the usual o -> u raising in the last
  syllable (bugbugin, bugbugan, binugbugan, bubugbugin);
- prefixes mag-/nag-/pag-, ma-/na-, i-, ipag-/ipinag-, pinag-/napag- ...-an, and mang-/nang-/pang- with
  nasal assimilation (nambugbog, pambubugbog, nanakit and pananakit from sakit, panggagahasa from gahasa);
- vowel-initial roots take the prefix with a hyphen in careful writing (nag-abuso, pang-aabuso); the hyphen is
  a space after normalisation, so both the joined and the spaced forms are produced.

Irregular syncope (sakit -> saktan, bili -> bilhin) is not modelled: write such forms out in the lexicon.
Over-generation is harmless for non-words; the tests list forms that must never be produced.
"""

from lentera.morphology import register

_VOWELS = "aeiou"


def _is_vowel(ch: str) -> bool:
    return ch in _VOWELS


def _first_syllables(word: str) -> list[str]:
    """Reduplicants of the first syllable: a for abuso, bu for bugbog; pwe and pe for pwersa."""
    if not word:
        return []
    if _is_vowel(word[0]):
        return [word[0]]
    for i, ch in enumerate(word):
        if _is_vowel(ch):
            onset = word[:i]
            syllables = [word[: i + 1]]
            if len(onset) > 1:
                syllables.append(onset[0] + ch)
            return syllables
    return []


def _infix(word: str, affix: str) -> list[str]:
    """-um- or -in- after the first consonant (binugbog), before a vowel-initial word (inabuso)."""
    if not word:
        return []
    if _is_vowel(word[0]):
        return [affix + word]
    forms = [word[0] + affix + word[1:]]
    if affix == "in" and (word[0] in "lryw" or not _is_vowel(word[1:2] or "a")):
        forms.append("ni" + word)  # nilait, ni-rape; consonant clusters take ini-: inistalk
        if not _is_vowel(word[1:2] or "a"):
            forms.append("ini" + word)
    return forms


def _suffixed(word: str, suffix: str) -> list[str]:
    """word + -in/-an, with -hin/-han after a vowel and o -> u raising in the last syllable."""
    stems = [word]
    last_o = word.rfind("o")
    if last_o >= 0 and not any(_is_vowel(ch) for ch in word[last_o + 1 :]):
        stems.append(word[:last_o] + "u" + word[last_o + 1 :])
    forms = []
    for stem in stems:
        if _is_vowel(stem[-1]):
            forms += [stem + "h" + suffix, stem + suffix]
        else:
            forms.append(stem + suffix)
    return forms


def _redup(word: str) -> list[str]:
    return [syl + word for syl in _first_syllables(word)]


def _join(prefix: str, word: str) -> list[str]:
    """Prefix + word; before a vowel also the hyphenated spelling, which normalises to a space."""
    if _is_vowel(word[0]) and not _is_vowel(prefix[-1]):
        return [prefix + word, prefix + " " + word]
    return [prefix + word]


def _nasal_bases(root: str) -> list[tuple[str, str]]:
    """(prefix ending, base) pairs for mang-/nang-/pang-: ("m", "bugbog"), ("", "nakit") from sakit, ..."""
    first = root[0]
    rest = root[1:]
    if first == "b":
        return [("m", root), ("", "m" + rest)]
    if first == "p":
        return [("", "m" + rest), ("m", root)]
    if first in "st":
        return [("", "n" + rest), ("n", root)]
    if first in "dlr":
        return [("n", root)]
    if first == "k":
        return [("", "ng" + rest), ("ng", root)]
    return [("ng", root)]


def _forms(root: str) -> list[str]:
    forms: list[str] = []
    redups = _redup(root)
    suffixed = {suffix: _suffixed(root, suffix) for suffix in ("in", "an")}

    # -um-: bumugbog, bumubugbog, bubugbog
    forms += _infix(root, "um")
    for word in redups:
        forms += _infix(word, "um")
    forms += redups

    # -in-: binugbog, binubugbog; with -an: binugbugan, binubugbugan; -in/-an alone: bugbugin, bubugbugin
    forms += _infix(root, "in")
    for word in redups:
        forms += _infix(word, "in")
    for suffix in ("in", "an"):
        for word in suffixed[suffix]:
            forms.append(word)
            for syl in _first_syllables(root):
                forms.append(syl + word)
        for word in suffixed["an"] if suffix == "an" else []:
            forms += _infix(word, "in")
            for syl in _first_syllables(root):
                forms += _infix(syl + word, "in")

    # mag-/nag-/pag-, ma-/na-, i-: nagbugbog, nagbubugbog, nabugbog, nabugbugan, ibinugbog
    for prefix in ("mag", "nag", "pag", "ma", "na", "i", "ipag", "ipinag", "naka"):
        forms += _join(prefix, root)
        for word in redups:
            forms += _join(prefix, word)
    for word in suffixed["an"]:
        forms += _join("ma", word) + _join("na", word)
        for prefix in ("pinag", "napag", "mapag"):
            forms += _join(prefix, word)
            for syl in _first_syllables(root):
                forms += _join(prefix, syl + word)
    if _is_vowel(root[0]):  # inialok, iniaabuso
        forms += ["ini" + word for word in [root, *redups]]
    else:  # ibinugbog, ibinubugbog
        forms += ["i" + word for word in _infix(root, "in") + [w for r in redups for w in _infix(r, "in")]]

    # mang-/nang-/pang- with assimilation: nambugbog, nambubugbog, pambubugbog, nanakit, pananakit
    for ending, base in _nasal_bases(root):
        for prefix in ("ma", "na", "pa"):
            forms += _join(prefix + ending, base)
            for word in _redup(base):
                forms += _join(prefix + ending, word)
    return forms


@register("fil", "tl")
def inflect_filipino(root: str) -> list[str]:
    """The inflected forms of `root` (without the root itself); multi-word roots inflect their first word."""
    root = root.strip()
    if not root or not root[0].isalpha():
        return []
    first, _, tail = root.partition(" ")
    suffix = " " + tail if tail else ""
    return [form for form in dict.fromkeys(f + suffix for f in _forms(first)) if form != root]
