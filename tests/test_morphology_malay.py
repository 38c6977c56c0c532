"""The Indonesian/Malay inflection generator: forms people type must come out, collisions must not."""

import pytest

from lentera.morphology import inflect
from lentera.morphology.malay import inflect as malay_inflect


def forms(root: str, lang: str = "id") -> set[str]:
    return set(inflect(lang, root))


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        # di- passive, with -i/-kan/-in/-nya, and written apart
        ("pukul", {"dipukul", "dipukuli", "dipukulin", "dipukulnya", "dipukulinnya", "di pukul"}),
        # meN- with nasal assimilation: p/t/s/k are replaced, others keep their first letter
        ("pukul", {"memukul", "memukuli", "memukulnya"}),
        ("tampar", {"menampar", "ditampar", "penamparan"}),
        ("siksa", {"menyiksa", "penyiksaan", "tersiksa"}),
        ("kuntit", {"menguntit", "penguntit", "penguntitan", "dikuntit"}),
        ("ancam", {"mengancam", "ancaman", "pengancaman", "diancam"}),
        ("hajar", {"menghajar", "dihajar"}),
        ("gampar", {"menggampar"}),
        ("bunuh", {"membunuh", "pembunuhan"}),
        ("cekik", {"mencekik", "dicekik"}),
        ("jambak", {"menjambak", "dijambak"}),
        ("raba", {"meraba", "diraba", "perabaan"}),
        ("leceh", {"melecehkan", "dilecehkan", "pelecehan", "pelecehannya"}),
        # monosyllables take menge-/penge-
        ("bom", {"mengebom", "pengeboman", "ngebom"}),
        # loanword clusters keep their first consonant
        ("proses", {"memproses"}),
        ("stalk", {"distalk", "ngestalk"}),
        # per- roots: both the older and the current standard form, and the noun without p
        ("perkosa", {"memperkosa", "memerkosa", "diperkosa", "pemerkosa", "pemerkosaan", "perkosaan"}),
        # ke-...-an nouns
        ("keras", {"kekerasan"}),
        # colloquial bare nasal forms (Jakarta and chat)
        ("pukul", {"mukul", "mukulin"}),
        ("tampar", {"nampar", "namparin"}),
        ("siksa", {"nyiksa"}),
        ("cekik", {"nyekik"}),
        ("ancam", {"ngancam", "ngancamin"}),
        ("kekang", {"ngekang"}),
        # Jakarta nge- for consonants that are not replaced
        ("bully", {"ngebully", "dibully", "membully"}),
        ("jambak", {"ngejambak", "jambakin"}),
        ("hajar", {"ngehajar"}),
        # Jakarta ke- passive
        ("pukul", {"kepukul"}),
        ("tampar", {"ketampar"}),
        # reduplication (the normaliser turns `pukul2` and `pukul-pukul` into `pukul pukul`)
        ("pukul", {"pukul pukul", "dipukul pukul", "memukul mukul", "dipukul pukulin"}),
        ("jambak", {"menjambak jambak"}),
        # Malay forms that MY and SG lexicons rely on
        ("rogol", {"dirogol", "merogol", "perogol", "kurogol"}),
        ("cabul", {"mencabul", "dicabul", "pencabulan"}),
        ("dera", {"didera", "mendera", "penderaan"}),
        ("pukul", {"dipukulkan", "terpukul"}),
        # ber-: r-initial roots and first syllables in -er drop the r
        ("kelahi", {"berkelahi"}),
        ("rebut", {"berebut"}),
        ("kerja", {"bekerja"}),
    ],
)
def test_produces(root: str, expected: set[str]) -> None:
    missing = expected - forms(root)
    assert not missing, f"{root}: missing {sorted(missing)}"


@pytest.mark.parametrize(
    ("root", "unexpected"),
    [
        # wrong nasal allomorphs
        ("pukul", {"mempukul", "menpukul", "mengpukul", "mpukul"}),
        ("tampar", {"mentampar", "mnampar"}),
        ("siksa", {"mensiksa", "mengsiksa"}),
        ("kuntit", {"mengkuntit", "menkuntit"}),
        ("bunuh", {"menbunuh", "mengbunuh", "mbunuh"}),
        ("raba", {"memraba", "menraba", "mengraba"}),
        # dropping h would collide with ngajar (to teach) and mengajar
        ("hajar", {"ngajar", "mengajar", "pengajar", "pengajaran"}),
        # only per- roots keep the p in a meN- form, and never in the noun
        ("perkosa", {"pemperkosa", "pemperkosaan", "meperkosa"}),
        ("pukul", {"memerkosa"}),
        # no bare affixes or empty strings
        ("pukul", {"", "di", "me", "nya", "ke"}),
    ],
)
def test_does_not_produce(root: str, unexpected: set[str]) -> None:
    produced = unexpected & forms(root)
    assert not produced, f"{root}: should not produce {sorted(produced)}"


def test_root_first_and_no_duplicates() -> None:
    result = inflect("id", "pukul")
    assert result[0] == "pukul"
    assert len(result) == len(set(result))


def test_malay_uses_the_same_generator() -> None:
    assert forms("rogol", "ms") == forms("rogol", "id")
    assert "dirogol" in forms("rogol", "ms-MY")


def test_multiword_and_non_alphabetic_roots_are_left_alone() -> None:
    assert malay_inflect("kawin paksa") == ["kawin paksa"]
    assert malay_inflect("uu tpks") == ["uu tpks"]
    assert malay_inflect("129") == ["129"]
    assert malay_inflect("") == []


def test_every_form_is_lower_case_words() -> None:
    for root in ("pukul", "perkosa", "bully", "ancam", "bom"):
        for form in inflect("id", root):
            assert form == form.strip().lower()
            assert all(word.isalpha() for word in form.split(" "))
