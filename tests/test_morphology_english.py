"""English `{root}` inflections: spelling rules, and forms that must never be produced."""

import pytest

from lentera.morphology import inflect


def forms(root: str) -> set[str]:
    return set(inflect("en", root))


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        ("rape", {"rape", "rapes", "raped", "raping", "rapist", "rapists"}),
        ("abuse", {"abuses", "abused", "abusing", "abuser", "abusers"}),
        ("harass", {"harasses", "harassed", "harassing", "harasser", "harassment", "harassments"}),
        ("stalk", {"stalks", "stalked", "stalking", "stalker", "stalkers"}),
        ("molest", {"molested", "molesting", "molester", "molesters"}),
        ("grope", {"groped", "groping", "groper"}),
        ("traffic", {"trafficked", "trafficking", "trafficker", "traffickers"}),
        ("groom", {"groomed", "grooming", "groomer"}),
        ("marry", {"marries", "married", "marrying"}),
        ("hit", {"hits", "hitting"}),
        ("grab", {"grabbed", "grabbing"}),
        ("kidnap", {"kidnapped", "kidnapping", "kidnapper"}),
        ("control", {"controlled", "controlling", "controller"}),
        ("beat", {"beats", "beating", "beatings", "beaten"}),
        ("touch", {"touches", "touched", "touching"}),
        ("enslave", {"enslaved", "enslavement"}),
        ("agree", {"agreed", "agreeing", "agreement"}),
        ("tie", {"tied", "tying"}),
        ("quit", {"quitting"}),
    ],
)
def test_expected_forms(root: str, expected: set[str]) -> None:
    assert expected <= forms(root)


@pytest.mark.parametrize(
    ("root", "wrong"),
    [
        ("rape", {"rapeing", "rapeed", "rapeist", "rapping"}),
        ("abuse", {"abuseing", "abuseed"}),
        ("hit", {"hitted", "hiting"}),
        ("stalk", {"stalkking", "stalkked"}),
        ("molest", {"molestted", "molestting"}),
        ("traffic", {"trafficed", "trafficing"}),
        ("marry", {"marryed", "marrys", "marriing"}),
        ("harass", {"harasss", "harasssed"}),
        ("abandon", {"abandonned", "abandonning"}),
        ("threaten", {"threatenned"}),
        ("agree", {"agreeed", "agreing"}),
        ("beat", {"beated"}),
        ("tie", {"tieing"}),
    ],
)
def test_never_produced(root: str, wrong: set[str]) -> None:
    assert not (wrong & forms(root))


def test_root_first_and_unique() -> None:
    result = inflect("en", "rape")
    assert result[0] == "rape"
    assert len(result) == len(set(result))


def test_multi_word_roots_inflect_the_last_word() -> None:
    result = forms("sexual assault")
    assert {"sexual assaults", "sexual assaulted"} <= result
    assert "sexuals assault" not in result


def test_regional_tag_uses_the_english_generator() -> None:
    assert "raped" in inflect("en-PH", "rape")


def test_non_alphabetic_roots_are_left_alone() -> None:
    assert inflect("en", "9262") == ["9262"]
