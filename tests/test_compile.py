"""The compiled and packed lexicon forms: what the browser loads must decide exactly like the source."""

import json
from collections import Counter

from lentera import runtime
from lentera.compile import compile_bundle, dumps, pack, unpack


def test_pack_round_trip_keeps_every_entry(fixture_bundle: dict) -> None:
    again = unpack(pack(fixture_bundle))
    for cc, country in fixture_bundle["countries"].items():
        assert Counter(map(tuple, again["countries"][cc]["entries"])) == Counter(map(tuple, country["entries"]))
        assert again["countries"][cc]["rules"] == country["rules"]


def test_packed_is_smaller_and_loads_in_the_runtime(fixture_bundle: dict) -> None:
    plain = json.dumps(fixture_bundle, ensure_ascii=False, default=str)
    shipped = dumps(fixture_bundle)
    assert len(shipped) < len(plain)
    assert runtime.load(shipped) == ["XX"]
    assert runtime.check("suami mukul aku", "XX")["category"] == "domestic"


def test_real_lexicons_pack_round_trip() -> None:
    bundle = compile_bundle(["KR", "VN"])
    again = unpack(json.loads(dumps(bundle)))
    for cc in ("KR", "VN"):
        assert len(again["countries"][cc]["entries"]) == len(bundle["countries"][cc]["entries"])


def test_after_prepare_a_new_matcher_comes_with_its_typo_tables(fixture_bundle: dict) -> None:
    """In the browser, prepare() runs right after ready; a country first used later builds its typo tables with
    its matcher (its first check), not in the middle of a later check."""
    runtime.load(dumps(fixture_bundle))
    runtime.prepare()
    [country] = runtime.countries()
    assert "typo_tables" in vars(runtime.matcher(country))
    runtime.load(dumps(fixture_bundle))
    assert "typo_tables" not in vars(runtime.matcher(country))  # before prepare: built on first use


def test_packed_matcher_decides_like_the_compiled_one() -> None:
    """The browser's matcher is built from the shipped JSON (compile.dumps, then json.loads); it must decide every
    typed prefix of the dev rows exactly as a matcher of compile_lexicon's form in memory. VN has marks (entries
    spelt apart from their key), ID the most keys."""
    from pathlib import Path

    from lentera.evaluate import read_rows
    from lentera.matcher import Matcher

    bundle = compile_bundle(["ID", "VN"])
    packed = json.loads(dumps(bundle))["countries"]
    rows = read_rows(Path(__file__).parent / "data" / "queries.tsv")
    for cc in ("ID", "VN"):
        plain, shipped = Matcher(bundle["countries"][cc]), Matcher(packed[cc])
        queries = [r.query[:n] for r in rows if r.country == cc for n in range(1, len(r.query) + 1)]
        assert [shipped.check(q) for q in queries] == [plain.check(q) for q in queries]


def test_entries_spelt_with_marks_keep_them_under_their_bare_key() -> None:
    from lentera.compile import EXCLUSION, TERM, pack_country
    from lentera.matcher import Matcher

    country = {"country": "VN", "categories": ["physical"], "combos": [], "rules": [],
               "entries": [["đánh", TERM, 0, "vi"], ["danh sách", EXCLUSION, "", "vi"], ["danh", EXCLUSION, "", "vi"]]}
    packed = pack_country(country)
    assert packed["keys"] == ["danh", "danh sach"]
    m = Matcher(packed)
    assert [(e.text, e.kind) for e in m.entries[0]] == [("đánh", TERM), ("danh", EXCLUSION)]
    assert [e.text for e in m.entries[1]] == ["danh sách"]
