"""English inflections for `{root}` patterns: -s, -ed, -ing, -er, -ist, -ment and their plurals.

Small spelling rules, no dictionary: silent-e drop (rape -> raping, rapist), y -> i after a consonant
(marry -> married, marries), consonant doubling for stressed single-vowel endings (grab -> grabbed,
control -> controlled), -c -> -ck before e/i (traffic -> trafficked, trafficking) and a short table of
irregular past forms (beat -> beaten). A root is a verb or noun stem in lower case; multi-word roots
inflect their last word ("sexual assault" -> "sexual assaults"). Over-generation is harmless (non-words
never occur in queries), but the author picks roots: `{beat}` also yields "beats" and "beater", so
collisions are written out instead.
"""

import re

from lentera.morphology import register

_VOWELS = "aeiou"
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
# Multi-syllable roots whose last syllable is stressed, so the final consonant doubles.
_DOUBLE = frozenset(
    {
        "abet",
        "admit",
        "commit",
        "compel",
        "control",
        "equip",
        "expel",
        "kidnap",
        "patrol",
        "permit",
        "rebel",
        "refer",
        "regret",
        "submit",
        "transfer",
        "worship",
        "outstrip",
        "entrap",
    }
)
_IRREGULAR: dict[str, tuple[str, ...]] = {
    "beat": ("beaten",),
    "take": ("took", "taken"),
    "sell": ("sold",),
    "buy": ("bought",),
    "fight": ("fought",),
    "catch": ("caught",),
    "throw": ("threw", "thrown"),
    "bite": ("bit", "bitten"),
    "strike": ("struck", "stricken"),
    "steal": ("stole", "stolen"),
    "drive": ("drove", "driven"),
    "keep": ("kept",),
    "send": ("sent",),
}
# Past forms equal to the root: no "-ed" form for these.
_NO_ED = frozenset({"beat", "hit", "hurt", "cut", "put", "shut", "set", "let", "spread", "burst", "cast"})


def _is_vowel(ch: str) -> bool:
    return ch in _VOWELS


def _doubles(word: str) -> bool:
    """True when the final consonant doubles before a vowel suffix (hit -> hitting, control -> controlled)."""
    if len(word) < 3 or word[-1] in "wxy" + _VOWELS:
        return False
    if not _is_vowel(word[-2]):
        return False
    if _is_vowel(word[-3]) and not (word[-3] == "u" and word[-4:-3] == "q"):  # "qu" is a consonant: quit
        return False
    if word in _DOUBLE:
        return True
    return len(_VOWEL_GROUPS.findall(word)) == 1


def _stem_for_vowel_suffix(word: str) -> str:
    """The stem that -ed, -ing, -er, -ist attach to (before their first vowel)."""
    if word.endswith("ee") or word.endswith("ye") or word.endswith("oe"):
        return word
    if word.endswith("e"):
        return word[:-1]
    if word.endswith("c"):
        return word + "k"
    if _doubles(word):
        return word + word[-1]
    return word


def _plural(word: str) -> str:
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and not _is_vowel(word[-2]):
        return word[:-1] + "ies"
    return word + "s"


def _forms(word: str) -> list[str]:
    forms = [_plural(word)]
    if len(word) > 1 and word.endswith("y") and not _is_vowel(word[-2]):
        ed, er = word[:-1] + "ied", word[:-1] + "ier"
        ing = word + "ing"
        ist = word[:-1] + "ist"
    elif word.endswith("ie"):
        ed, er = word + "d", word + "r"
        ing = word[:-2] + "ying"
        ist = word[:-1] + "st"
    else:
        stem = _stem_for_vowel_suffix(word)
        ed, er, ing = stem + "ed", stem + "er", stem + "ing"
        ist = (word[:-1] if word.endswith("e") else word) + "ist"  # rape -> rapist, no doubling
        if word.endswith("e"):
            ed, er = word + "d", word + "r"
    if word not in _NO_ED:
        forms.append(ed)
    forms += [ing, ing + "s", er, _plural(er), ist, _plural(ist)]
    forms += [word + "ment", word + "ments"]
    forms += _IRREGULAR.get(word, ())
    return forms


@register("en")
def inflect_english(root: str) -> list[str]:
    """The inflected forms of `root` (without the root itself); multi-word roots inflect the last word."""
    root = root.strip()
    if not root or not root[-1].isalpha():
        return []
    head, _, last = root.rpartition(" ")
    prefix = head + " " if head else ""
    return list(dict.fromkeys(prefix + form for form in _forms(last)))
