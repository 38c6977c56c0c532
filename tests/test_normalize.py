import pytest
from hypothesis import given
from hypothesis import strategies as st

from lentera.normalize import hangul_keys, normalize, two_set_to_jamo


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("KDRT!!", "kdrt"),
        ("Tolonggg", "tolong"),
        ("HARASSMENT", "harasment"),
        ("r4pe", "rape"),
        ("h!ep d@m", "hiep dam"),
        ("s3xual h@rassment", "sexual harasment"),
        ("s.e.x.u.a.l", "sexual"),
        ("anak2 dipukul", "anak anak dipukul"),
        ("ra 9262", "ra 9262"),
        ("ra11313", "ra11313"),  # numbers in law names are not leetspeak
        ("@komnasperempuan", "komnasperempuan"),
        ("sua\u200bmi", "suami"),  # zero-width space
        ("ｋｄｒｔ", "kdrt"),  # full-width
        ("#StopKDRT", "stop kdrt"),
        ("#MeToo", "meto"),  # one word, like the term metoo (doubled letters fold)
        ("bạo lực", "bạo lực"),
        ("성 폭력", "ㅅㅓㅇㅍㅗㄱㄹㅕㄱ"),
        ("家 暴", "家暴"),
    ],
)
def test_normalize(query: str, text: str) -> None:
    assert normalize(query).text == text


def test_thai_spaces_are_dropped() -> None:
    assert normalize("สามี ทำร้าย").text == normalize("สามีทำร้าย").text


def test_bare_strips_vietnamese_marks_and_folds_d() -> None:
    n = normalize("Đánh vợ")
    assert n.text == "đánh vợ"
    assert n.bare == "danh vo"
    assert n.marked


def test_unfinished_last_word() -> None:
    assert normalize("pelecehan seksu").unfinished
    assert not normalize("pelecehan seksual ").unfinished
    assert not normalize("kdrt?").unfinished


def test_hashtag_spans() -> None:
    n = normalize("lapor #stopkdrt sekarang")
    assert [n.text[a:b] for a, b in n.hashtags] == ["stopkdrt"]


def test_hangul_keystrokes() -> None:
    assert hangul_keys("과") == "ㄱㅗㅏ"  # a compound vowel is two keys
    assert hangul_keys("닭") == "ㄷㅏㄹㄱ"
    assert two_set_to_jamo("tjdvhrfur") == "ㅅㅓㅇㅍㅗㄱㄹㅕㄱ"
    assert normalize("tjdvhrfur").text == "tjdvhrfur"  # the keyboard view is the matcher's job


@given(st.text())
def test_normalize_never_fails_and_is_idempotent(text: str) -> None:
    once = normalize(text)
    assert len(once.text) == len(once.bare)
    assert normalize(once.text).text == once.text


@given(st.text(alphabet=st.sampled_from("abcdeđáàạêươ 123#.@-ㅅㅓ성폭력ข่มขืน家暴")))
def test_idempotent_on_tricky_alphabet(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once
