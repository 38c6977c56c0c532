"""Filipino `{root}` inflections: infixes, prefixes, suffixes, reduplication; and forms never produced."""

import pytest

from lentera.morphology import inflect


def forms(root: str) -> set[str]:
    return set(inflect("fil", root))


@pytest.mark.parametrize(
    ("root", "expected"),
    [
        (
            "bugbog",
            {
                "binugbog",  # -in- (completed)
                "binubugbog",  # -in- with reduplication (ongoing)
                "bugbugin",  # -in with o -> u raising
                "bubugbugin",  # future
                "bumugbog",  # -um-
                "bumubugbog",
                "nambugbog",  # nang- assimilated to nam- before b
                "nambubugbog",
                "pambubugbog",  # pang- noun: the beating
                "nagbugbog",
                "nabugbog",  # ma-/na-: got beaten
                "binugbugan",
                "ibinugbog",
            },
        ),
        ("gahasa", {"ginahasa", "ginagahasa", "gagahasain", "gagahasahin", "nagahasa", "panggagahasa"}),
        ("gahasa", {"nanggahasa", "manggagahasa", "gumahasa"}),
        ("sampal", {"sinampal", "sinasampal", "sampalin", "sasampalin", "nanampal", "pananampal"}),
        ("sakit", {"nanakit", "nananakit", "pananakit", "sinakit"}),
        ("halay", {"hinalay", "hinahalay", "nanghalay", "panghahalay", "halayin"}),
        ("abuso", {"inabuso", "inaabuso", "pang aabuso", "pangaabuso", "nag abuso", "abusuhin"}),
        ("pilit", {"pinilit", "pinipilit", "pilitin", "namimilit", "pamimilit"}),
        ("tutok", {"tinutok", "tinutukan", "nanutok"}),
        ("kidnap", {"kinidnap", "kinikidnap", "nakidnap", "kidnapin"}),
        ("lait", {"nilait", "linait", "nilalait", "nanlalait"}),
        ("samantala", {"pinagsamantalahan", "pinagsasamantalahan", "napagsamantalahan", "sinamantala"}),
        ("benta", {"ibinenta", "ibinebenta", "ibebenta", "binenta"}),
        ("stalk", {"inistalk", "nistalk", "nagstalk"}),
    ],
)
def test_expected_forms(root: str, expected: set[str]) -> None:
    assert expected <= forms(root)


@pytest.mark.parametrize(
    ("root", "wrong"),
    [
        ("bugbog", {"umbugbog", "inbugbog", "bugbinog", "bugbumog", "magbinugbog", "bubugbog bugbog"}),
        ("bugbog", {"nangbugbog", "pangbugbog", "nanbugbog", "binugbogbog"}),
        ("gahasa", {"gahasahahin", "ginahasahasa", "nangahasa", "pangahasa"}),
        ("sampal", {"nangsampal", "sumampalin", "sinampalin"}),
        ("abuso", {"uminabuso", "binabuso", "nagpangabuso"}),
        ("sakit", {"nangsakit", "pangsakit"}),
    ],
)
def test_never_produced(root: str, wrong: set[str]) -> None:
    assert not (wrong & forms(root))


def test_root_first_and_unique() -> None:
    result = inflect("fil", "bugbog")
    assert result[0] == "bugbog"
    assert len(result) == len(set(result))


def test_multi_word_roots_inflect_the_first_word() -> None:
    result = forms("gahasa sa bata")
    assert "ginahasa sa bata" in result
    assert "gahasa sa binata" not in result


def test_tagalog_code_shares_the_generator() -> None:
    assert "binugbog" in inflect("tl", "bugbog")


def test_digits_are_left_alone() -> None:
    assert inflect("fil", "9262") == ["9262"]
