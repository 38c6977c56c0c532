"""The matcher on a small fixture lexicon: every rule of docs/matching.md, one test each."""

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lentera.compile import compile_lexicon
from lentera.lexicon import load_lexicon
from lentera.matcher import Matcher, Phrases

FIXTURES = Path(__file__).parent / "fixtures"

SHOW = [
    ("kdrt", "domestic", "term"),
    ("KDRT!!!", "domestic", "term"),
    ("suami mukul aku terus", "domestic", "combo"),  # any word order, inflected verb
    ("aku ditampar pacar", "domestic", "combo"),
    ("my bf beats me", "domestic", "combo"),
    ("r4pe", "sexual", "term"),
    ("s.e.x.t.o.r.t.i.o.n", "sexual", "term"),
    ("sextrotion", "sexual", "typo"),  # two letters swapped in a long word
    ("#StopKDRT", "domestic", "term"),
    ("#stopkdrt", "domestic", "term"),  # a term inside a hashtag compound
    ("đánh vợ", "sexual", "term"),
    ("danh vo", "sexual", "term"),  # typed without tone marks
    ("성 폭력을", "sexual", "term"),  # spaces and a particle
    ("tjdvhrfur", "sexual", "keyboard"),  # 성폭력 typed with the keyboard in English mode
    ("家暴", "sexual", "term"),
    ("ข่มขืน", "sexual", "term"),
    ("pelecehan seksu", "sexual", "prefix"),  # unfinished last word of a multi-word term
    ("성폭ㄹ", "sexual", "prefix"),  # unfinished syllable
    ("가정폭려", "sexual", "prefix"),
]

HIDE = [
    "pukul berapa buka puasa",  # exclusion vetoes the hit it overlaps
    "suami pukul berapa",
    "suami pukul ber",  # an exclusion still being typed vetoes too
    "pel",  # a lone fragment never triggers
    "pelecehan",
    "grape juice",
    "rapeseed oil",
    "danh sách lớp",  # typed with marks that disagree with đánh
    "ข่มขืนใจ",  # a longer Thai word containing the term
    "dom",
    "stalking horse",
    "",
    "   ",
]


@pytest.mark.parametrize(("query", "category", "via"), SHOW)
def test_shows(xx: Matcher, query: str, category: str, via: str) -> None:
    d = xx.check(query)
    assert d.show, query
    assert (d.category, d.via) == (category, via)


@pytest.mark.parametrize("query", HIDE)
def test_hides(xx: Matcher, query: str) -> None:
    assert not xx.check(query).show


def test_decision_explains(xx: Matcher) -> None:
    d = xx.check("Suami mukul aku")
    assert d.as_dict()["term"] == "suami mukul"
    assert d.span == (0, 11)
    assert d.lang == "id"
    assert xx.check("pukul berapa").vetoed == ("pukul",)


def test_whole_words_only(xx: Matcher) -> None:
    assert not xx.check("drapes").show
    assert not xx.check("kdrtx").show
    assert xx.check("raped").show


_WORDS = st.sampled_from(["suami", "pukul", "berapa", "kdrt", "rape", "grape", "seed", "pacar", "ditampar", "x", " "])


@settings(max_examples=80, deadline=None)
@given(st.lists(_WORDS, max_size=8).map(" ".join), st.sampled_from(["pukul", "kdrt", "rape", "suami pukul", "seed"]))
def test_an_exclusion_never_adds_a_match(query: str, exclusion: str) -> None:
    lex = load_lexicon(FIXTURES / "lexicons" / "XX.toml")
    before = Matcher(compile_lexicon(lex)).check(query).show
    lex.exclusions.setdefault("en", []).append(exclusion)
    after = Matcher(compile_lexicon(lex)).check(query).show
    assert after <= before


def test_time_grows_linearly_with_query_length(xx: Matcher) -> None:
    """No query of up to 100,000 characters takes more than linear time (ratio check, not an absolute time)."""

    def cost(n: int) -> float:
        query = ("suami pukul aku kdrt rape grape " * (n // 32 + 1))[:n]
        start = time.perf_counter()
        xx.check(query)
        return time.perf_counter() - start

    small, large = min(cost(10_000) for _ in range(3)), min(cost(100_000) for _ in range(3))
    assert large < small * 10 * 3  # 10x the input may cost 10x the time, with room for noise, not 100x


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_any_text_is_decided(xx: Matcher, text: str) -> None:
    assert isinstance(xx.check(text).show, bool)


# Regressions found while building the lexicons, one test each (pyahocorasick style).


def test_jamo_emoticons_do_not_glue_onto_a_term(xx: Matcher) -> None:
    assert xx.check("성폭력ㅠㅠ 어떡해").show
    assert xx.check("성폭력ㅠ").show
    assert xx.check("성폭ㄹ").show  # a lone consonant is still a syllable being typed


def test_marks_agree_letter_by_letter(xx: Matcher) -> None:
    assert xx.check("danh vợ").show  # partly typed with marks
    assert not xx.check("đành vợ").show  # a mark that disagrees


def test_a_longer_term_survives_an_exclusion_inside_it(fixture_bundle: dict) -> None:
    country = {**fixture_bundle["countries"]["XX"]}
    country["entries"] = [*country["entries"], ["grape", "x", "", "en"], ["grape abuse", "t", 1, "en"]]
    m = Matcher(country)
    assert m.check("grape abuse").show
    assert not m.check("grape").show


def test_thai_double_sara_e_is_sara_ae() -> None:
    from lentera.normalize import normalize

    assert normalize("เเม่").text == normalize("แม่").text


def test_thai_completion_must_start_the_thai_run(fixture_bundle: dict) -> None:
    country = {**fixture_bundle["countries"]["XX"]}
    country["entries"] = [*country["entries"], ["สามีทําร้าย", "t", 0, "th"]]
    m = Matcher(country)
    assert m.check("สามีทำร้า").show  # typing สามีทำร้าย
    assert not m.check("ชุดสามีทำร้า").show  # inside a longer run: not a completion


@given(st.lists(st.text("abc ", min_size=1, max_size=5), max_size=12, unique=True), st.text("abc ", max_size=30))
def test_phrases_find_every_key_at_every_start(keys, text):
    keys = sorted(keys)
    phrases = Phrases(keys)
    everywhere = range(len(text))
    want = sorted(((i, j, k) for k, key in enumerate(keys) for i in everywhere
                   if text.startswith(key, i) for j in [i + len(key)]), key=lambda h: (h[1], h[0]))
    assert phrases.scan(text, everywhere) == want
    tails = [s for s in everywhere if any(key.startswith(text[s:]) for key in keys)]
    assert phrases.tails(text, list(everywhere)) == tails
    for s in tails:
        assert sorted(phrases.completions(text[s:])) == [k for k, key in enumerate(keys) if key.startswith(text[s:])]
