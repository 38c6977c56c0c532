"""Turn a typed query (or a lexicon term) into the canonical form the matcher compares.

Terms and queries go through the same function, so every rule here is symmetric: a lexicon author writes
"harassment" and a person types "HARASSSMENT!!" and both become "harasment".

The canonical text keeps tone marks; `bare` is the same text, character for character, with the marks of Latin
letters stripped and đ folded to d, so Vietnamese typed without marks still matches. Hangul is spelled out as
keystroke-level compatibility jamo (성 -> ㅅㅓㅇ), which makes Korean prefixes typed mid-syllable and Korean typed
with the keyboard left in English mode (2-set layout) plain string problems.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# --- Scripts -------------------------------------------------------------------------------------------------

LATIN, THAI, HAN, HANGUL, TAMIL, OTHER = "latin", "thai", "han", "hangul", "tamil", "other"


@lru_cache(maxsize=4096)
def script_of(ch: str) -> str:
    o = ord(ch)
    if ch.isascii():
        return LATIN if ch.isalnum() else OTHER
    if 0x0E00 <= o <= 0x0E7F:
        return THAI
    if 0x3130 <= o <= 0x318F or 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF:
        return HANGUL
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x2FFFF:
        return HAN
    if 0x0B80 <= o <= 0x0BFF:
        return TAMIL
    if o < 0x0250 or 0x1E00 <= o <= 0x1EFF:
        return LATIN if ch.isalpha() else OTHER
    return OTHER


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or unicodedata.category(ch) in ("Mn", "Mc")


# --- Hangul as keystroke-level jamo ----------------------------------------------------------------------------

_LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_TAILS = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
# Compound letters typed as two keys on a 2-set keyboard; splitting them makes every keystroke a prefix step.
_SPLIT = {
    "ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ", "ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ",
    "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ", "ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ", "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ",
    "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ",
}
HANGUL_VOWELS = frozenset("ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅛㅜㅠㅡㅣ")

# The standard Korean 2-set (dubeolsik) layout; Shift gives the doubled consonants and two vowels.
_TWO_SET = dict(
    zip(
        "qwertyuiopasdfghjklzxcvbnmQWERTOP",
        "ㅂㅈㄷㄱㅅㅛㅕㅑㅐㅔㅁㄴㅇㄹㅎㅗㅓㅏㅣㅋㅌㅊㅍㅠㅜㅡㅃㅉㄸㄲㅆㅒㅖ",
        strict=True,
    )
)


@lru_cache(maxsize=8192)
def hangul_keys(ch: str) -> str:
    """A Hangul syllable or jamo as the compatibility jamo typed for it: 폭 -> ㅍㅗㄱ, 과 -> ㄱㅗㅏ."""
    o = ord(ch)
    if 0xAC00 <= o <= 0xD7A3:
        index = o - 0xAC00
        lead, vowel, tail = index // 588, (index % 588) // 28, index % 28
        parts = _LEADS[lead] + _VOWELS[vowel] + _TAILS[tail]
    else:
        parts = ch
    return "".join(_SPLIT.get(p, p) for p in parts)


def two_set_to_jamo(text: str) -> str:
    """Latin letters typed with the keyboard in English mode, read as the Korean 2-set keys they hit."""
    return "".join(_TWO_SET.get(ch, _TWO_SET.get(ch.lower(), ch)) for ch in text)


# --- The pipeline ----------------------------------------------------------------------------------------------

_LEET = {"4": "a", "3": "e", "1": "i", "0": "o", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
# Leetspeak inside a word: @, $ and ! between letters (r@pe, h!ep); one or two digits between letters (s3x, p3l3c3han);
# one digit ending a word of two or more letters (rap3). Not @handles, not numbers (ra11313, 1366, covid19).
_L = "[a-z\u00df-\u024f\u1e00-\u1eff]"  # Latin letters (after casefolding): leetspeak is a Latin habit
_LEET_SYMBOL = re.compile(rf"(?<={_L})[@$!](?={_L})")
_LEET_INNER = re.compile(rf"(?<={_L})[431057]{{1,2}}(?={_L})")
_LEET_FINAL = re.compile(rf"(?<={_L}{_L})[431057](?!\w)")
_REDUPLICATION = re.compile(rf"(?<!\w)({_L}{{3,}})2(?!\w)")  # Malay/Indonesian chat: anak2 -> anak anak
# s.e.x.u.a.l, r-a-p-e: three or more single letters joined by one separator each.
_SPACED_LETTERS = re.compile(r"(?<![^\W_])(?:[^\W\d_][.\-_*]){2,}[^\W\d_](?![^\W_])")
_HASHTAG = re.compile(r"#(\w+)")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_UNSPACED = "[\u0E00-\u0E7F\u3130-\u318F\u4E00-\u9FFF]"  # Thai, jamo, Han: spaces between them are optional
_THAI_NO_SPACE = re.compile(rf"(?<={_UNSPACED}) +(?=#?{_UNSPACED})")
_SPACES = re.compile(r"\s+")
# ㅋㅋ, ㅠㅠ (laughter, tears) are emoticons, not parts of a syllable: they must not glue onto the term before them.
# ㅋㅋ and ㅠ (laughter, tears) right after a syllable are emoticons, never the rest of a syllable being typed (an
# IME would have composed them): a separator keeps them from gluing onto the term before them. Only after a
# precomposed syllable, so that text already spelled out as jamo passes through unchanged (idempotence).
SEPARATOR = "·"
_JAMO_EMOTICON = re.compile(r"(?<=[\uAC00-\uD7A3])(?:([\u3131-\u314E])\1+|[\u314F-\u3163]+)")
# NFKC would turn typed compatibility jamo into conjoining ones and compose ㄱㅠ into 규; keep them as typed.
_JAMO_SHIELD = {c: 0xF0000 + c for c in range(0x3131, 0x318F)}
_JAMO_UNSHIELD = {v: k for k, v in _JAMO_SHIELD.items()}
# Conjoining jamo typed or left over (ᄅ) read as the compatibility letters people type (ㄹ).
_JAMO_UNSHIELD |= {0x1100 + i: ord(c) for i, c in enumerate(_LEADS)}
_JAMO_UNSHIELD |= {0x1161 + i: ord(c) for i, c in enumerate(_VOWELS)}
_JAMO_UNSHIELD |= {0x11A8 + i: ord(c) for i, c in enumerate(_TAILS[1:])}


@dataclass(frozen=True, slots=True)
class Normalized:
    """The canonical form of a text. `text` and `bare` have the same length, character for character."""

    text: str
    bare: str
    marked: bool  # the text had tone marks or other diacritics on Latin letters
    unfinished: bool  # the last word was still being typed (no space or punctuation after it)
    hashtags: tuple[tuple[int, int], ...] = ()


def _strip_mark(ch: str) -> str:
    if ch == "đ":
        return "d"
    if ch.isascii() or script_of(ch) != LATIN:
        return ch
    return unicodedata.normalize("NFD", ch)[0]


def strip_marks(text: str) -> str:
    """The same text with the marks of Latin letters removed, character for character."""
    return text if text.isascii() else "".join(map(_strip_mark, text))


def _collapse_repeats(text: str) -> str:
    """Latin letters repeated twice or more become one (tolonggg, harassment); other scripts three or more."""
    out: list[str] = []
    run = 0
    for ch in text:
        if out and ch == out[-1] and ch.isalpha():
            run += 1
            if script_of(ch) == LATIN or run >= 2:
                if run == 2 and script_of(ch) != LATIN:
                    out.pop()  # the second copy of a non-Latin letter was kept; drop it now
                continue
        else:
            run = 0
        out.append(ch)
    return "".join(out)


def _split_hashtag(m: re.Match[str]) -> str:
    """#StopKDRT -> `stop kdrt`, but #MeToo stays `metoo`: a word of two letters or fewer is a name's part."""
    words = _CAMEL.sub(" ", m.group(1)).split(" ")
    return " #" + (m.group(1) if any(len(w) <= 2 for w in words) else " ".join(words)) + " "


def _clean(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Everything up to the final spacing: returns the text and the spans of hashtag words in it."""
    text = unicodedata.normalize("NFKC", text.translate(_JAMO_SHIELD))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")  # zero-width joiners, soft hyphens
    text = _HASHTAG.sub(_split_hashtag, text)
    text = unicodedata.normalize("NFKC", text.casefold()).translate(_JAMO_UNSHIELD)
    text = text.replace("เเ", "แ")  # Thai: two เ typed for แ
    text = _SPACED_LETTERS.sub(lambda m: re.sub(r"[.\-_*]", "", m.group(0)), text)
    for leet in (_LEET_SYMBOL, _LEET_INNER, _LEET_FINAL):
        text = leet.sub(lambda m: "".join(_LEET[c] for c in m.group(0)), text)
    text = _REDUPLICATION.sub(r"\1 \1", text)
    text = _JAMO_EMOTICON.sub(SEPARATOR, text)
    pieces: list[str] = []
    for i, ch in enumerate(text):
        if ch == SEPARATOR:
            pieces.append(ch)
        elif ch == "#":
            pieces.append("#" if i + 1 < len(text) and is_word_char(text[i + 1]) else " ")
        elif script_of(ch) == HANGUL:
            pieces.append(hangul_keys(ch))
        elif is_word_char(ch):
            pieces.append(ch)
        else:
            pieces.append(" ")
    text = _SPACES.sub(" ", "".join(pieces))
    text = _collapse_repeats(_THAI_NO_SPACE.sub("", text))  # after joining: ข ขข must fold like ขขข
    # Hashtag words: remember where they are (terms may sit inside them: #stopkdrt), then drop the marks.
    spans: list[tuple[int, int]] = []
    out: list[str] = []
    i = 0
    for m in re.finditer(r"#([^\s#]*)", text):
        out.append(text[i : m.start()])
        start = sum(map(len, out))
        out.append(m.group(1))
        spans.append((start, start + len(m.group(1))))
        i = m.end()
    out.append(text[i:])
    return "".join(out), spans


_PLAIN = re.compile(r"[a-z]+(?: [a-z]+)*")
_DOUBLED = re.compile(r"([a-z])\1+")


@lru_cache(maxsize=2048)  # a query is normalised again for the typo pass, and typing repeats prefixes
def normalize(query: str) -> Normalized:
    """The canonical form of `query`; idempotent on its own `text`."""
    if _PLAIN.fullmatch(query):  # lower-case ASCII words, the bulk of lexicon phrases: only doubles to fold
        text = _DOUBLED.sub(r"\1", query)
        return Normalized(text, text, False, True)
    unfinished = bool(query) and not query[-1].isspace() and is_word_char(query[-1])
    text, spans = _clean(query)
    lead = len(text) - len(text.lstrip(" "))
    text = text.strip(" ")
    spans = [(max(0, a - lead), min(len(text), b - lead)) for a, b in spans if b - lead > 0]
    bare = strip_marks(text)
    return Normalized(text, bare, bare != text, unfinished and bool(text), tuple(spans))
