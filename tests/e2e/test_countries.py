"""Each of the seven countries: a help query shows that country's first hotline, a hard negative shows
nothing, and typing on from the help query to a benign one hides the notice again."""

import pytest
from lentera_e2e import COUNTRIES, QUERIES, first_hotline, hotline_candidates, resource_name

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("country", COUNTRIES)
def test_help_shows_first_hotline_negative_shows_nothing(web, lexicons, country):
    help_query, negative = QUERIES[country]
    lexicon = lexicons[country]
    web.open(f"/host-{country}.html")
    web.wait_ready()
    box = web.page.locator("#q")

    # A hard negative (a word collision) shows nothing.
    box.fill(negative)
    web.settle(country)
    assert not web.notice()["visible"], f"{country}: {negative!r} showed a notice"
    assert web.events("lentera:notice") == []

    # The help query, typed key by key, shows the notice with the country's first hotline.
    box.fill("")
    box.press_sequentially(help_query, delay=25)
    shown = web.wait_shown()
    [event] = web.events("lentera:notice")
    assert event["target"] == "q"
    assert event["detail"]["country"] == country
    category = event["detail"]["category"]
    assert category == web.check(help_query, country)["category"]
    assert event["detail"]["lang"] == lexicon["default_language"] == shown["lang"]

    expected = first_hotline(lexicon, category)
    lang = shown["lang"]
    if expected.get("phone"):
        assert expected["phone"] in shown["text"], (country, category, expected["id"], shown["text"])
        # It is the first of the country's hotlines for this category to appear in the notice.
        positions = {
            r["id"]: shown["text"].find(r["phone"])
            for r in hotline_candidates(lexicon, category)
            if r.get("phone") and r["phone"] in shown["text"]
        }
        assert min(positions, key=positions.get) == expected["id"], positions
    else:
        assert resource_name(expected, lang) in shown["text"]
    if expected.get("tel"):
        assert shown["tels"] and shown["tels"][0] == f"tel:{expected['tel']}", shown["tels"]
    assert help_query not in shown["text"]
    assert help_query not in shown["html"]

    # Typing on to a benign query hides it, and says so.
    box.press("Control+a")
    box.press_sequentially(negative, delay=25)
    web.wait_hidden()
    clears = web.events("lentera:clear")
    assert clears and clears[-1]["target"] == "q"
    assert shown["id"] not in web.notice()["described"]
    assert web.rec.page_errors == []
