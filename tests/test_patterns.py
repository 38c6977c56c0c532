import pytest

from lentera.morphology import inflect
from lentera.patterns import PatternError, expand

SETS = {"partner": ["suami", "pacar"], "me": ["aku", "gw"]}


def lookup(name: str, lang: str) -> list[str]:
    return SETS[name]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("kdrt", ["kdrt"]),
        ("(di|)pukul", ["dipukul", "pukul"]),
        ("kekerasan (seksual|seks)", ["kekerasan seksual", "kekerasan seks"]),
        ("@partner (mukul|) @me", ["suami mukul aku", "suami mukul gw", "suami aku", "suami gw",
                                   "pacar mukul aku", "pacar mukul gw", "pacar aku", "pacar gw"]),
        ("a((b|c)d|)", ["abd", "acd", "a"]),
    ],
)
def test_expand(pattern: str, expected: list[str]) -> None:
    assert expand(pattern, "id", lookup) == expected


def test_roots_use_the_language_morphology() -> None:
    forms = expand("{pukul}", "id", lookup)
    assert forms[0] == "pukul"
    assert set(forms) == set(inflect("id", "pukul"))


@pytest.mark.parametrize("bad", ["(a|b", "a)b", "{pukul", "{}"])
def test_malformed(bad: str) -> None:
    with pytest.raises(PatternError):
        expand(bad, "id", lookup)


def test_explosion_is_capped() -> None:
    with pytest.raises(PatternError):
        expand("(a|b|c|d|e|f|g|h|i|j) " * 6, "en", lookup)
