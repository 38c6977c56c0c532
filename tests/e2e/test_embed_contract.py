"""The embed contract of issue 3, through a host page that embeds the widget exactly as documented."""

import json

import pytest
from lentera_e2e import COUNTRIES, QUERIES, load_lexicon

pytestmark = pytest.mark.e2e

# English queries for the dismissal tests, sorted into categories by the widget itself at run time.
SG_CANDIDATES = [
    "molested on mrt",
    "my husband hits me",
    "husband beats me every night",
    "domestic violence shelter",
    "domestic violence",
    "marital rape",
    "sexual harassment at work",
    "sextortion",
    "human trafficking",
    "forced marriage",
    "stalker following me home",
]


def test_notice_element_attributes_and_events(web):
    help_query = QUERIES["ID"][0]
    web.open("/host-ID.html")
    assert web.page.evaluate("window.lentera.ready instanceof Promise")
    web.wait_ready()
    [ready] = web.events("lentera:ready")
    assert ready["target"] == "document"

    web.page.locator("#q").fill(help_query)
    shown = web.wait_shown()
    # <lentera-notice> right after the input, role=status, lang, a Shadow DOM with a dismiss button.
    assert shown["role"] == "status"
    assert shown["lang"] == "id"
    assert shown["shadow"], "the notice is not rendered inside a shadow root"
    assert shown["buttons"] >= 1, "no dismiss button"
    assert shown["all"] == 1
    assert shown["id"] and shown["id"] in shown["described"], shown
    assert web.page.evaluate("document.getElementById(document.querySelector('#q').getAttribute("
                             "'aria-describedby').split(' ').pop()).localName") == "lentera-notice"
    notices = web.events("lentera:notice")
    assert len(notices) == 1
    detail = notices[0]["detail"]
    assert set(detail) == {"country", "lang", "category"}, detail
    assert detail["country"] == "ID" and detail["lang"] == "id" and detail["category"]
    assert notices[0]["target"] == "q"
    assert help_query not in json.dumps(shown["attrs"], ensure_ascii=False)
    assert help_query not in shown["html"]

    # Clearing the box hides it: lentera:clear on the input, aria-describedby no longer points at it.
    web.page.locator("#q").fill("")
    web.wait_hidden()
    clears = web.events("lentera:clear")
    assert len(clears) == 1 and clears[0]["target"] == "q"
    assert help_query not in json.dumps(clears, ensure_ascii=False)
    assert shown["id"] not in web.notice()["described"]
    assert web.rec.page_errors == []


def _categorised(web, country, candidates):
    by_category: dict[str, list[str]] = {}
    for query in candidates:
        result = web.check(query, country)
        if result["show"]:
            by_category.setdefault(result["category"], []).append(query)
    return by_category


def test_dismiss_button_and_when_it_shows_again(web):
    web.open("/host-SG.html")
    web.wait_ready()
    groups = _categorised(web, "SG", SG_CANDIDATES)
    same = next((qs for qs in groups.values() if len(qs) >= 2), None)
    assert same and len(groups) >= 2, f"need two categories, one with two queries: {groups}"
    first, second = same[:2]
    other = next(qs[0] for cat, qs in groups.items() if first not in qs)
    box = web.page.locator("#q")

    box.fill(first)
    shown = web.wait_shown()
    web.shadow_button().click()
    web.wait_hidden()
    assert web.events("lentera:clear"), "no lentera:clear after dismissal"
    assert shown["id"] not in web.notice()["described"]

    # The same category does not come back...
    box.fill(second)
    web.settle("SG")
    assert not web.notice()["visible"], "a dismissed category came back"
    # ...a different category does...
    box.fill(other)
    web.wait_shown()
    # ...and after the box is cleared, the dismissed category shows again.
    box.fill("")
    web.wait_hidden()
    box.fill(first)
    web.wait_shown()
    assert len(web.events("lentera:notice")) == 3
    assert web.rec.page_errors == []


def test_escape_in_the_input_dismisses(web):
    web.open("/host-SG.html")
    web.wait_ready()
    box = web.page.locator("#q")
    box.fill(QUERIES["SG"][0])
    web.wait_shown()
    box.press("Escape")
    web.wait_hidden()
    assert web.events("lentera:clear")
    assert web.page.evaluate("document.activeElement.id") == "q"


def test_query_typed_before_ready_is_checked_when_ready(web):
    release = web.hold_boot()
    web.open("/host-KR.html")
    box = web.page.locator("#q")
    box.press_sequentially(QUERIES["KR"][0], delay=20)
    assert not web.page.evaluate("window.__lt.ready"), "ready before the first key: nothing tested"
    release()
    shown = web.wait_shown(timeout=120_000)
    assert shown["lang"] == "ko"
    [event] = web.events("lentera:notice")
    assert [e["type"] for e in web.events()].index("lentera:ready") < web.events().index(event)


def test_latest_query_wins_before_ready(web):
    release = web.hold_boot()
    web.open("/host-ID.html")
    box = web.page.locator("#q")
    box.fill(QUERIES["ID"][0])
    web.page.wait_for_timeout(400)  # past the debounce: the help query is queued for the worker
    box.fill(QUERIES["ID"][1])
    assert not web.page.evaluate("window.__lt.ready"), "ready before the second query: nothing tested"
    release()
    web.wait_ready()
    web.settle("ID")
    assert web.events("lentera:notice") == [], "a stale answer was shown"
    assert not web.notice()["visible"]


# A query typed while the page is busy: the input event is created (its timeStamp set), then the main thread is
# blocked for `busy` ms before the widget's handler runs. The box is emptied first, so each round shows anew.
LATE_HANDLER_JS = r"""
async ([text, busy, rounds]) => {
  const input = document.getElementById("q");
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const out = [];
  for (let i = 0; i < rounds; i++) {
    input.value = "";
    input.dispatchEvent(new Event("input", {bubbles: true}));
    await sleep(50);
    const shown = new Promise((r) => input.addEventListener("lentera:notice", () => r(performance.now()),
                                                            {once: true}));
    input.value = text;
    const event = new InputEvent("input", {bubbles: true, inputType: "insertText", data: text});
    const end = performance.now() + busy;
    while (performance.now() < end) { /* busy */ }
    const handled = performance.now();
    input.dispatchEvent(event);
    const t = await shown;
    out.push({since_event: t - event.timeStamp, since_handler: t - handled});
  }
  return out;
}
"""


def test_debounce_runs_from_the_input_event(web):
    web.open("/host-ID.html")
    web.wait_ready()
    box = web.page.locator("#q")
    box.fill(QUERIES["ID"][0])  # the notice's element now exists (its first content waits for screen readers)
    web.wait_shown()
    times = web.page.evaluate(LATE_HANDLER_JS, [QUERIES["ID"][0], 100, 5])
    # Never before the debounce has passed since the keystroke, even when the answer came early (it is held)...
    assert min(t["since_event"] for t in times) >= 150 - 0.01, times
    # ...and a handler that ran 100 ms late does not add 100 ms: the debounce started at the event.
    assert min(t["since_handler"] for t in times) < 120, times


# Records when each of the worker's answers reaches the page, before the widget's own handler sees it.
ANSWER_HOOK_JS = r"""
(() => {
  const W = window.Worker;
  window.Worker = class extends W {
    constructor(url, options) {
      super(url, options);
      this.addEventListener("message", (e) => {
        if ((e.data || {}).type === "result" && window.__onResult) window.__onResult();
      });
    }
  };
})();
"""

# Types `help`; if its answer reaches the page before the debounce has passed (the check is sent a little
# early), types `other` at once, before the held answer may show. Counts rounds that were held and notices.
HELD_THEN_TYPED_JS = r"""
async ([help, other, rounds]) => {
  const input = document.getElementById("q");
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  let notices = 0;
  input.addEventListener("lentera:notice", () => { notices++; });
  const result = {held: 0, shown_after_held: 0, rounds: 0};
  for (let i = 0; i < rounds && result.held < 3; i++) {
    result.rounds++;
    input.value = "";
    input.dispatchEvent(new Event("input", {bubbles: true}));
    await sleep(50);
    const before = notices;
    input.value = help;
    const event = new InputEvent("input", {bubbles: true, inputType: "insertText", data: help});
    const due = event.timeStamp + 150;
    let early = false;
    const answered = new Promise((resolve) => {
      window.__onResult = () => {
        window.__onResult = null;
        early = performance.now() < due - 1;
        if (early) setTimeout(() => {  // runs before the widget's hold ends
          input.value = other;
          input.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertText", data: other}));
        }, 0);
        resolve();
      };
    });
    input.dispatchEvent(event);
    await answered;
    await sleep(400);  // past the debounce of `other`, whose own answer shows nothing
    if (early) {
      result.held++;
      if (notices > before) result.shown_after_held++;
    }
  }
  return result;
}
"""


def test_held_answer_is_dropped_when_typing_goes_on(web):
    web.context.add_init_script(ANSWER_HOOK_JS)
    web.open("/host-ID.html")
    web.wait_ready()
    help_query, negative = QUERIES["ID"]
    assert web.check(help_query, "ID")["show"] and not web.check(negative, "ID")["show"]
    result = web.page.evaluate(HELD_THEN_TYPED_JS, [help_query, negative, 12])
    assert result["held"] >= 1, f"no answer came before the debounce ended: nothing tested {result}"
    assert result["shown_after_held"] == 0, f"a held answer for older text was shown: {result}"
    assert not web.notice()["visible"]


def test_enter_checks_without_an_input_event(web):
    web.open("/host-ID.html")
    web.wait_ready()
    # Set the value the way autofill or a script would: no input event, so only Enter can check it.
    web.page.evaluate("(q) => { document.querySelector('#q').value = q; }", QUERIES["ID"][0])
    web.settle("ID")
    assert not web.notice()["visible"]
    web.page.locator("#q").press("Enter")
    web.wait_shown()
    assert web.page.evaluate("window.hostSubmits") == 1, "the host's own submit handler did not run"


def test_inputs_added_later_are_attached(web):
    web.open("/host-all.html")  # names every country: a late input may use any of them
    web.wait_ready()
    web.page.evaluate(
        """() => { const i = document.createElement("input");
             i.type = "search"; i.id = "late"; i.setAttribute("data-lentera", "");
             i.setAttribute("data-lentera-country", "VN");
             document.body.append(i); }"""
    )
    web.page.locator("#late").fill(QUERIES["VN"][0])
    shown = web.wait_shown("#late")
    assert [e["detail"]["country"] for e in web.events("lentera:notice")] == ["VN"]
    assert shown["lang"] == load_lexicon("VN")["default_language"]
    assert not web.notice("#q")["visible"]


def test_notice_goes_into_the_named_container(web):
    web.open("/target.html")
    web.wait_ready()
    web.page.locator("#q").fill(QUERIES["ID"][0])
    shown = web.wait_shown()
    assert web.page.evaluate("document.querySelector('#slot > lentera-notice') !== null")
    assert web.page.evaluate("document.querySelector('#q').nextElementSibling === null")
    assert sorted(shown["described"]) == sorted(["hint", shown["id"]]), "the host's aria-describedby is kept"
    web.page.locator("#q").fill("")
    web.wait_hidden()
    assert web.notice()["described"] == ["hint"]


@pytest.mark.parametrize(("page_file", "country"), [("lang-ko.html", "KR"), ("lang-vi.html", "VN")])
def test_country_from_the_page_language(web, page_file, country):
    web.open(f"/{page_file}")
    web.wait_ready()
    web.page.locator("#q").fill(QUERIES[country][0])
    web.wait_shown()
    [event] = web.events("lentera:notice")
    assert event["detail"]["country"] == country


def test_country_from_the_site_wide_setting(web):
    web.open("/meta-country.html")  # <meta name="lentera-country" content="TH">, <html lang="en">
    web.wait_ready()
    web.page.locator("#q").fill(QUERIES["TH"][0])
    web.wait_shown()
    [event] = web.events("lentera:notice")
    assert event["detail"]["country"] == "TH"


def test_country_from_navigator_languages(browsing):
    web = browsing(locale="vi-VN")  # no <html lang>, no attribute, no meta: the browser's language decides
    web.open("/no-lang.html")
    assert web.page.evaluate("navigator.languages[0]") == "vi-VN"
    web.wait_ready()
    web.page.locator("#q").fill(QUERIES["VN"][0])
    web.wait_shown()
    [event] = web.events("lentera:notice")
    assert event["detail"]["country"] == "VN"


def _multilingual():
    for cc in COUNTRIES:
        lex = load_lexicon(cc)
        others = [lang for lang in lex.get("languages", []) if lang != lex["default_language"]]
        if others:
            return cc, others[0], lex["default_language"]
    return None


def test_notice_language_follows_the_page_when_the_lexicon_has_it(browsing):
    found = _multilingual()
    if found is None:
        pytest.skip("no lexicon has a second notice language")
    country, other, default = found
    for page_lang, expected in [(other, other), ("fr", default)]:
        web = browsing()
        web.open(f"/host-{country}-{page_lang}.html")
        web.wait_ready()
        web.page.locator("#q").fill(QUERIES[country][0])
        shown = web.wait_shown()
        [event] = web.events("lentera:notice")
        assert event["detail"]["lang"] == expected == shown["lang"], (page_lang, event, shown["lang"])
        web.close()


def test_window_lentera_check_agrees_with_cpython(web, shipped_lexicons):
    import lentera.runtime as rt

    rt.load(*shipped_lexicons)
    web.open("/host-all.html")  # <meta name="lentera-countries"> names all seven
    web.must("() => window.lentera && window.lentera.ready instanceof Promise")
    web.page.evaluate("async () => { await window.lentera.ready; }")
    assert web.page.evaluate("window.__lt.ready")
    for country in COUNTRIES:
        for query in QUERIES[country]:
            got = web.check(query, country)
            want = rt.check(query, country)
            assert {"show", "category", "lang"} <= set(got), got
            mine = (got["show"], got["category"], got["lang"])
            assert mine == (want["show"], want["category"], want["lang"]), (country, query, got, want)
            assert query not in json.dumps(got, ensure_ascii=False)
        assert web.check(QUERIES[country][0], country)["show"], f"{country} help query not shown"
        assert not web.check(QUERIES[country][1], country)["show"], f"{country} negative shown"
    # The API uses the page's widget: no notice, no event for a tester's check.
    assert web.events("lentera:notice") == []
    assert web.rec.page_errors == [] and web.rec.console == []


def test_a_page_fetches_only_the_lexicons_it_names(web):
    web.open("/host-KR.html")
    web.wait_ready()
    fetched = sorted(r["url"].rsplit("/", 1)[1].split(".")[0] for r in web.rec.requests if "/lexicons/" in r["url"])
    assert fetched == ["KR"]
    assert web.page.evaluate("Object.keys(window.lentera.countries)") == ["KR"]
    # Another country's check answers "nothing to show" from the page, and an input added later for a country
    # the page did not name stays off: no request, no error (docs/embed.md).
    before = len(web.rec.requests)
    assert web.check(QUERIES["ID"][0], "ID") == {"show": False, "category": None, "lang": None}
    web.page.evaluate(
        """() => { const i = document.createElement("input");
             i.type = "search"; i.id = "late"; i.setAttribute("data-lentera", "");
             i.setAttribute("data-lentera-country", "ID");
             document.body.append(i); }"""
    )
    web.page.locator("#late").fill(QUERIES["ID"][0])
    web.settle("KR")
    assert not web.notice("#late")["visible"] and web.events("lentera:notice") == []
    assert len(web.rec.requests) == before and web.rec.page_errors == [] and web.rec.console == []
