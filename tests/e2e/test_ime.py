"""Korean typed through a real IME composition (CDP Input.imeSetComposition / Input.insertText):
no check while the composition is open, a check at compositionend."""

import pytest

pytestmark = pytest.mark.e2e

# 성폭력 (sexual violence), jamo by jamo, as a Korean IME composes it.
STEPS = ["ㅅ", "서", "성", "성ㅍ", "성포", "성폭", "성폭ㄹ", "성폭려", "성폭력"]
WORD = "성폭력"


def test_korean_composition_is_checked_only_at_compositionend(web):
    web.open("/host-KR.html")
    web.wait_ready()
    assert web.check(WORD, "KR")["show"], "성폭력 must show the notice: nothing would be tested"
    box = web.page.locator("#q")
    box.focus()
    cdp = web.context.new_cdp_session(web.page)
    for text in STEPS:
        caret = len(text)
        cdp.send("Input.imeSetComposition", {"text": text, "selectionStart": caret, "selectionEnd": caret})
        web.page.wait_for_timeout(60)
    assert web.page.evaluate("document.querySelector('#q').value") == WORD
    # The whole word sits in the open composition, well past the debounce: still no check.
    web.settle("KR")
    assert not web.notice()["visible"], "checked while the composition was open"
    assert web.events("lentera:notice") == []
    assert [e["type"] for e in web.events()].count("compositionend") == 0

    cdp.send("Input.insertText", {"text": WORD})  # commits the composition: compositionend
    web.wait_shown()
    types = [e["type"] for e in web.events()]
    assert types.index("compositionend") < types.index("lentera:notice")
    [event] = web.events("lentera:notice")
    assert event["detail"]["country"] == "KR"
    assert web.page.evaluate("document.querySelector('#q').value") == WORD
    assert web.rec.page_errors == []
