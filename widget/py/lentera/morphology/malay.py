"""Inflections for Indonesian and Malay (`id`, `ms`): a handful of affix rules, no stemming dictionary.

A lexicon author writes `{pukul}` once and the matcher sees every way people actually type the verb:
standard affixed forms (dipukul, memukul, pemukulan), Malaysian ones (dirogol, merogol, perogol), Jakarta chat
forms (dipukulin, mukulin, kepukul) and reduplication (pukul pukul). Over-generation is cheap (a form nobody
types never matches anything), under-generation costs recall, so the rules lean towards producing a form when
in doubt, except where a colloquial form would collide with a different common word (see `_colloquial`).

Roots are expected lower case, as the normaliser leaves them. Doubled letters produced by gluing an affix
(`berrenang`, `rusakkan`) need no special care: the normaliser collapses repeated Latin letters in terms and
queries alike.
"""

from __future__ import annotations

import re

from lentera.morphology import register

VOWELS = "aeiou"

# Diphthongs count as one syllable (`pukau`, `kerbau`), so `_syllables` does not see them as two.
_VOWEL_GROUP = re.compile(r"ai|au|oi|ei|[aeiouy]")

# Letters after which meN-/peN- takes a bare `me-`/`pe-` (the root keeps its sonorant).
_SONORANTS = ("ny", "ng", "l", "m", "n", "r", "w", "y")

# Suffixes that turn a verb stem into the forms people type: -i and -kan (standard, both languages),
# -in (the Jakarta equivalent of both), and -nya glued to any of them (`dipukulnya`, `dipukulinnya`).
_VERB_SUFFIXES = ("", "i", "kan", "in")


def _syllables(word: str) -> int:
    return len(_VOWEL_GROUP.findall(word))


def _starts_with_cluster(word: str) -> bool:
    """True for loanword clusters such as `pr`, `tr`, `kr`, `st`: nasal assimilation keeps their first letter
    (`memproses`, `mentransfer`, `mengkritik`), where a consonant before a vowel would be dropped."""
    return (
        len(word) > 1 and word[0] not in VOWELS and word[1] not in VOWELS and word[:2] not in ("ny", "ng", "sy", "kh")
    )


def _nasal_stems(root: str) -> list[str]:
    """The root after the nasal of meN-/peN- has been applied, without `me`/`pe`: `pukul` -> `mukul`,
    `tampar` -> `nampar`, `siksa` -> `nyiksa`, `ancam` -> `ngancam`, `bunuh` -> `mbunuh`, `raba` -> `raba`.

    Prefixing `me` or `pe` gives the standard forms (memukul, penyiksa). Several stems come out when the
    language really has variants: `perkosa` gives both `memperkosa` (older, still common) and `memerkosa`
    (the current standard form, and the source of `pemerkosaan`).
    """
    first = root[0]
    if _syllables(root) == 1:
        # Monosyllables take menge-/penge- (`mengebom`, `pengecatan`).
        return ["nge" + root]
    if root.startswith(_SONORANTS):
        return [root]
    if first in VOWELS:
        return ["ng" + root]
    if _starts_with_cluster(root):
        # Clusters keep their first consonant: mem-proses, men-transfer, meng-kritik, men-stalk.
        nasal = {"p": "m", "b": "m", "f": "m", "v": "m", "t": "n", "d": "n", "s": "n", "c": "n", "j": "n"}
        return [nasal.get(first, "ng") + root]
    if first == "p":
        stems = ["m" + root[1:]]
        if root.startswith("per") and len(root) > 4:
            # `per-` roots historically kept the p (memperkosa, memperdaya) and still often do.
            stems.append("m" + root)
        return stems
    if first == "t":
        return ["n" + root[1:]]
    if first == "s":
        if root.startswith("sy"):
            return ["n" + root]  # `mensyaratkan`: sy is one sound and is not replaced
        return ["ny" + root[1:]]
    if first == "k":
        if root.startswith("kh"):
            return ["ng" + root]  # `mengkhianati`: kh is kept
        return ["ng" + root[1:]]
    if first in "bfv":
        return ["m" + root]
    if first in "cdjz":
        return ["n" + root]
    # g, h, q, x: meng- + root (`menggampar`, `menghajar`).
    return ["ng" + root]


def _colloquial(root: str) -> list[str]:
    """Chat forms without `me-`: the bare nasal form where speech uses it (`mukul`, `nampar`, `nyiksa`,
    `nyekik`, `ngancam`, `ngurung`) and Jakarta `nge-` for the other consonants (`ngebully`, `ngejambak`,
    `ngehajar`, `ngeraba`).

    The bare nasal is only produced where the root's first sound is replaced (p, t, s, k, c) or the root
    starts with a vowel. Roots starting with h get `nge-` and never a bare nasal, because dropping the h
    collides with another word: `hajar` would give `ngajar` (to teach).
    """
    first = root[0]
    if _syllables(root) == 1:
        return ["nge" + root]
    if first in VOWELS:
        return ["ng" + root]
    if not _starts_with_cluster(root) and root[:2] not in ("sy", "kh", "ny", "ng"):
        if first == "p":
            return ["m" + root[1:]]
        if first == "t":
            return ["n" + root[1:]]
        if first in "sc":
            # `nyekik` (cekik), `nyulik` (culik), `nyiksa` (siksa).
            return ["ny" + root[1:]]
        if first == "k":
            return ["ng" + root[1:]]
    return ["nge" + root]


def _ber(root: str) -> str:
    """ber- loses its r before r and when the root's first syllable ends in -er (`berenang`, `bekerja`)."""
    if root.startswith("r") or re.match(r"[^aeiou]+er[^aeiou]", root):
        return "be" + root
    return "ber" + root


def _with_suffixes(stem: str) -> list[str]:
    """A verb stem with -i/-kan/-in and an optional -nya (`dipukulin`, `dipukulnya`, `memukulinya`)."""
    forms = []
    for suffix in _VERB_SUFFIXES:
        forms.append(stem + suffix)
        forms.append(stem + suffix + "nya")
    return forms


@register("id", "ms")
def inflect(root: str) -> list[str]:
    """Forms of an Indonesian or Malay root. Multi-word roots are returned unchanged: affixes attach to a
    single word, and a phrase such as `kawin paksa` is better written out by the lexicon author."""
    root = root.strip()
    if not root or " " in root or not root.isalpha():
        return [root] if root else []

    nasal = _nasal_stems(root)
    colloquial = _colloquial(root)
    forms: list[str] = [root]

    # Verb stems that take the -i/-kan/-in/-nya suffixes.
    verb_stems = [
        root,  # imperative and colloquial bare verb: `pukulin`, `pukulnya`
        "di" + root,  # passive: `dipukul`, and Malay `dirogol`
        "ter" + root,  # accidental/abilitative: `terpukul`, `terjual`
        "ke" + root,  # Jakarta adversative passive: `kepukul`, `ketampar`
        "ku" + root,  # first-person agent, common in Malay and in writing: `kupukul`
        *("me" + stem for stem in nasal),  # `memukul`, `menampar`, `menyiksa`, `mengancam`, `merogol`
        *colloquial,  # `mukul`, `nampar`, `ngebully`
        "nge" + root,  # Jakarta `nge-` also occurs before replaceable consonants: `ngepukul`, `ngetampar`
    ]
    for stem in verb_stems:
        forms.extend(_with_suffixes(stem))

    # "di pukul": the passive prefix written apart is one of the most common spelling errors.
    forms.append("di " + root)
    forms.extend("di " + root + suffix for suffix in ("i", "kan", "in"))

    # Nouns: -an (result, `pukulan`), peN- (agent, `pemukul`, `perogol`), peN-...-an (act, `pemukulan`,
    # `pelecehan`, `pemerkosaan`), ke-...-an (state, `kekerasan`), each with -nya (`pukulannya`).
    nouns = [root + "an", "ke" + root + "an"]
    for stem in nasal:
        # peN- follows meN- except before `per-` roots, where only the p-less form is a noun (`pemerkosa`).
        if root.startswith("per") and stem == "m" + root:
            continue
        nouns.extend(["pe" + stem, "pe" + stem + "an"])
    if root.startswith("per"):
        nouns.append(root + "an")  # `perkosaan`
    for noun in nouns:
        forms.extend([noun, noun + "nya"])

    # ber-: intransitive or reciprocal (`berkelahi`, `bercerai`), rare for violence verbs but cheap.
    forms.append(_ber(root))

    # Reduplication, written with a space (the normaliser turns `pukul2` and `pukul-pukul` into this):
    # `pukul pukul`, `dipukul pukul`, `memukul mukul`, and the Jakarta `dipukul pukulin`.
    forms.append(f"{root} {root}")
    forms.append(f"di{root} {root}")
    forms.append(f"di{root} {root}in")
    # The second copy of a meN- verb is the root (`menjambak jambak`, `mengancam ancam`) or, where the nasal
    # replaced the first sound, the nasal form (`memukul mukul`, `menyiksa nyiksa`).
    for stem in nasal:
        forms.append(f"me{stem} {root}")
        if stem in colloquial:
            forms.append(f"me{stem} {stem}")
    # `ngejambak jambak`, but `mukul mukul` (the bare nasal form is repeated whole).
    forms.extend(f"{stem} {root}" if stem.startswith("nge") else f"{stem} {stem}" for stem in colloquial)

    return list(dict.fromkeys(form for form in forms if form))
