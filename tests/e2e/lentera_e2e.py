"""Helpers of the browser suite (fixtures are in conftest.py).

One bundle, three loopback servers, one quiet Chromium.

Layout served to the browser (built once per session in a temporary folder):

    site/               host pages from tests/e2e/pages/ (expanded per country), served at /
    site/lentera/       the bundle from ``lentera.build.build_bundle``: the embed path of the README
    bundle/             the same bundle served at / by itself: the demo page of ``lentera serve``

Every test gets a fresh browser context that records every request (page and worker), every console
message and page error from its creation, and aborts any request that is not to loopback.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import threading
import time
import tomllib
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PAGES = Path(__file__).resolve().parent / "pages"
LEXICONS = REPO / "lexicons"
CHROMIUM = "/usr/bin/chromium"
# From ../shared/notes/browser-platform.md: together these keep Chromium 156 from calling home.
QUIET_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--gaia-url=http://127.0.0.1:9",
    "--component-updater=url-source=http://127.0.0.1:9",
    "--proxy-server=http://127.0.0.1:9",
]
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; "
    "style-src 'self'; connect-src 'self'"
)
COUNTRIES = ["ID", "MY", "PH", "TH", "SG", "KR", "VN"]
# (help query, hard negative) per country; see ../shared/notes/trigger-policy.md.
QUERIES = {
    "ID": ("suami mukul aku terus", "pukul berapa buka puasa"),
    "MY": ("suami pukul saya", "pukul berapa sekarang"),
    "PH": ("binugbog ako ng asawa ko", "bugbog sa trabaho pagod"),
    "TH": ("สามีทำร้ายร่างกาย", "ซ้อมดนตรี"),
    "SG": ("molested on mrt", "assault rifle game"),
    "KR": ("가정폭력 신고", "성적 확인"),
    "VN": ("bi chong danh", "danh sach lop"),
}
# A cold boot takes 2-5 s on an idle machine, far more on a loaded one.
BOOT_TIMEOUT_MS = int(os.environ.get("LENTERA_E2E_BOOT_TIMEOUT_MS", "90000"))
STEP_TIMEOUT_MS = 15_000  # a check after ready: debounce + a worker round trip
DEBOUNCE_MARGIN_MS = 450  # the contract's debounce is about 150 ms

# Runs in every page before any page script: records the widget's events, shadow roots (open or closed),
# CSP violations, composition events and every attribute or text the DOM ever held.
INIT_JS = r"""
(() => {
  const rec = (window.__lt = {events: [], csp: [], roots: [], mutations: [], ready: false});
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    rec.roots.push([this, root]);
    if (rec.observe) rec.observe(root);
    return root;
  };
  const label = (t) => (t === document ? "document" : t && (t.id || t.tagName || String(t)));
  for (const type of ["lentera:ready", "lentera:notice", "lentera:clear", "lentera:error"]) {
    document.addEventListener(type, (e) => {
      let detail;
      try { detail = JSON.parse(JSON.stringify(e.detail === undefined ? null : e.detail)); }
      catch (err) { detail = String(e.detail); }
      rec.events.push({type, detail, target: label(e.target), t: performance.now()});
      if (type === "lentera:ready") rec.ready = true;
    }, true);
  }
  for (const type of ["compositionstart", "compositionend"]) {
    document.addEventListener(type, (e) => rec.events.push(
      {type, target: label(e.target), t: performance.now()}), true);
  }
  document.addEventListener("securitypolicyviolation", (e) => rec.csp.push({
    directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber,
    sample: e.sample}), true);
  const observe = (node) => new MutationObserver((list) => {
    for (const m of list) {
      // Old values too: a value set and removed again in one task shows up only as the removal's oldValue.
      if (m.type === "attributes" && m.target.getAttribute) {
        rec.mutations.push(m.attributeName + "=" + (m.target.getAttribute(m.attributeName) || ""));
        rec.mutations.push(m.attributeName + "<" + (m.oldValue || ""));
      } else if (m.type === "characterData") {
        rec.mutations.push(m.target.data, m.oldValue || "");
      } else {
        for (const n of m.removedNodes) rec.mutations.push(n.outerHTML || n.textContent || "");
        for (const n of m.addedNodes) rec.mutations.push(n.outerHTML || n.textContent || "");
      }
    }
  }).observe(node, {subtree: true, attributes: true, childList: true, characterData: true,
                     attributeOldValue: true, characterDataOldValue: true});
  observe(document);
  rec.observe = observe;
})();
"""

# Helpers evaluated in the page. `sel` is the CSS selector of a host input.
NOTICE_JS = r"""
(sel) => {
  const input = document.querySelector(sel);
  const rootOf = (host) =>
    host.shadowRoot || ((window.__lt.roots.find(([h]) => h === host) || [])[1]) || null;
  let notice = null;
  const target = input.getAttribute("data-lentera-notice");
  if (target) {
    const box = document.querySelector(target);
    notice = box && box.querySelector("lentera-notice");
  } else if (input.nextElementSibling && input.nextElementSibling.localName === "lentera-notice") {
    notice = input.nextElementSibling;
  }
  const described = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  const all = document.querySelectorAll("lentera-notice").length;
  if (!notice) return {exists: false, visible: false, described, all};
  const root = rootOf(notice);
  const text = ((root ? root.textContent : "") + " " + notice.textContent).replace(/\s+/g, " ").trim();
  return {
    exists: true,
    all,
    visible: notice.isConnected && notice.checkVisibility() && notice.getBoundingClientRect().height > 0,
    id: notice.id,
    role: notice.getAttribute("role"),
    lang: notice.getAttribute("lang"),
    attrs: Object.fromEntries([...notice.attributes].map((a) => [a.name, a.value])),
    shadow: !!root,
    text,
    html: root ? root.innerHTML : notice.innerHTML,
    tels: root ? [...root.querySelectorAll('a[href^="tel:"]')].map((a) => a.getAttribute("href")) : [],
    buttons: root ? root.querySelectorAll("button").length : 0,
    described,
  };
}
"""

# Playwright's wait_for_function evaluates its predicate with eval(), which a strict CSP (no 'unsafe-eval')
# refuses. This poller is sent as a function (CDP callFunctionOn), which the page's CSP does not govern.
WAIT_JS = """async ([arg, timeout]) => {
  const predicate = %s;
  const end = performance.now() + timeout;
  for (;;) {
    const value = await predicate(arg);
    if (value) return value;
    if (performance.now() > end) return null;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}"""

SHOWN_JS = f"(sel) => {{ const s = ({NOTICE_JS})(sel); return s.visible && s; }}"
HIDDEN_JS = f"(sel) => !({NOTICE_JS})(sel).visible"

STATE_JS = r"""
async () => {
  const dump = (s) =>
    Object.fromEntries(Array.from({length: s.length}, (_, i) => [s.key(i), s.getItem(s.key(i))]));
  const dbs = indexedDB.databases ? (await indexedDB.databases()).map((d) => d.name + "@" + d.version) : [];
  const cacheNames = self.caches ? await caches.keys() : [];
  return {local: dump(localStorage), session: dump(sessionStorage), idb: dbs.sort(),
          caches: cacheNames.sort(),
          cookie: document.cookie, href: location.href, title: document.title};
}
"""

# Everything the page could show or carry: DOM (with every shadow root), attributes, events, mutations.
EXPOSED_JS = r"""
() => {
  const parts = [document.documentElement.outerHTML];
  for (const [host, root] of window.__lt.roots) parts.push(root.innerHTML, host.outerHTML);
  for (const el of document.querySelectorAll("*")) for (const a of el.attributes) parts.push(a.value);
  parts.push(JSON.stringify(window.__lt.events), window.__lt.mutations.join("\n"), document.title);
  return parts.join("\n");
}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(port: int, thread: threading.Thread, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
        if not thread.is_alive():
            return False
        time.sleep(0.05)
    return False


def start_server(directory: Path, *, csp: bool = False) -> str:
    """Start ``lentera.serve.serve`` on a free loopback port in a daemon thread; return its base URL."""
    from lentera.serve import serve

    port = _free_port()
    box: dict = {}

    def run() -> None:
        try:
            box["result"] = serve(directory, port, host="127.0.0.1", csp=csp)
        except BaseException as exc:  # reported below
            box["error"] = exc

    thread = threading.Thread(target=run, name=f"lentera-serve-{port}", daemon=True)
    thread.start()
    if not _wait_listening(port, thread):
        # A serve() that returns a server object instead of serving forever is run here.
        server = box.get("result")
        if server is not None and hasattr(server, "serve_forever"):
            threading.Thread(target=server.serve_forever, daemon=True).start()
            if _wait_listening(port, thread):
                return f"http://127.0.0.1:{port}"
        raise RuntimeError(f"lentera.serve.serve({directory}, {port}) is not listening: {box}")
    return f"http://127.0.0.1:{port}"


def load_lexicon(country: str) -> dict:
    with open(LEXICONS / f"{country}.toml", "rb") as f:
        return tomllib.load(f)


def _serves(resource: dict, category: str) -> bool:
    cats = resource.get("categories", [])
    return "all" in cats or category in cats


def first_hotline(lexicon: dict, category: str) -> dict:
    """The first verified, non-emergency resource serving `category`, in file order."""
    for res in lexicon.get("resources", []):
        if res.get("verified") and not res.get("emergency", False) and _serves(res, category):
            return res
    raise AssertionError(f"{lexicon.get('country')}: no verified non-emergency resource for {category}")


def hotline_candidates(lexicon: dict, category: str) -> list[dict]:
    return [
        r
        for r in lexicon.get("resources", [])
        if r.get("verified") and not r.get("emergency", False) and _serves(r, category)
    ]


def resource_name(res: dict, lang: str) -> str:
    name = res["name"]
    if isinstance(name, dict):
        return name.get(lang) or next(iter(name.values()))
    return name


@dataclass
class Recorder:
    requests: list = field(default_factory=list)  # dicts, in order of the browser's events
    blocked: list = field(default_factory=list)  # non-loopback URLs that were aborted
    console: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)

    def mark(self) -> int:
        return len(self.requests)


def _is_loopback(url: str) -> bool:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    return parsed.hostname in ("127.0.0.1", "localhost", "::1")


class Browsing:
    """One browser context for one test, with its recorders and helpers."""

    def __init__(self, browser, urls: dict, **context_args):
        self.urls = urls
        self.rec = Recorder()
        self.context = browser.new_context(**context_args)
        self.context.add_init_script(INIT_JS)
        self.context.on("request", self._on_request)
        self.context.route("**/*", self._safety_net)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.rec.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.rec.page_errors.append(str(e)))

    def _on_request(self, request) -> None:
        self.rec.requests.append(
            {
                "url": request.url,
                "method": request.method,
                "post": request.post_data_buffer,
                "type": request.resource_type,
                "t": time.monotonic(),
            }
        )

    def _safety_net(self, route) -> None:
        if _is_loopback(route.request.url):
            route.fallback()
        else:
            self.rec.blocked.append(route.request.url)
            route.abort("blockedbyclient")

    def hold_boot(self):
        """Hold the worker's boot at Pyodide's WebAssembly until the returned function is called: the widget is
        ready about 1.5 s after its boot starts, so a test of what happens before ready must not race it."""
        held = []
        self.context.route("**/pyodide.asm.wasm", lambda route: held.append(route))

        def release() -> None:  # (the boot may not have reached the WebAssembly yet: then nothing is held)
            self.context.unroute("**/pyodide.asm.wasm")
            for route in held:
                route.fallback()  # on to the safety net, which lets loopback through

        return release

    # navigation and waiting -------------------------------------------------------------------------
    def open(self, path: str, server: str = "site"):
        response = self.page.goto(self.urls[server] + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return response

    def wait_ready(self) -> None:
        if not self.wait_for("() => window.__lt.ready", timeout=BOOT_TIMEOUT_MS):
            raise AssertionError(f"no lentera:ready: {self.diagnosis()}")

    def wait_for(self, predicate: str, arg=None, timeout: int = STEP_TIMEOUT_MS):
        """Poll the JS function `predicate(arg)` in the page until it returns a truthy value (returned) or
        `timeout` ms pass (None). Works under a strict CSP, unlike page.wait_for_function."""
        return self.page.evaluate(WAIT_JS % predicate, [arg, timeout])

    def must(self, predicate: str, arg=None, timeout: int = STEP_TIMEOUT_MS, what: str = ""):
        value = self.wait_for(predicate, arg, timeout)
        if not value:
            raise AssertionError(f"timed out after {timeout} ms: {what or predicate}: {self.diagnosis()}")
        return value

    def diagnosis(self) -> str:
        """What the page and widget were doing, for a failure message (never includes typed text)."""
        try:
            info = self.page.evaluate(
                """() => ({events: window.__lt.events.map((e) => e.type + ":" + JSON.stringify(e.detail)),
                          state: window.lentera && window.lentera.state,
                          timings: window.lentera && window.lentera.timings})"""
            )
        except Exception as exc:
            info = repr(exc)
        return f"{info}; page errors {self.rec.page_errors}; console {self.rec.console[-5:]}"

    def events(self, type_: str | None = None) -> list[dict]:
        events = self.page.evaluate("window.__lt.events")
        return [e for e in events if type_ is None or e["type"] == type_]

    def notice(self, sel: str = "#q") -> dict:
        return self.page.evaluate(NOTICE_JS, sel)

    def wait_shown(self, sel: str = "#q", timeout: int = STEP_TIMEOUT_MS) -> dict:
        return self.must(SHOWN_JS, sel, timeout, f"no notice shown for {sel}")

    def wait_hidden(self, sel: str = "#q", timeout: int = STEP_TIMEOUT_MS) -> None:
        self.must(HIDDEN_JS, sel, timeout, f"the notice for {sel} stayed")

    def settle(self, country: str) -> None:
        """Let any check the widget may still make land, so that an absence can be asserted.

        Absence cannot be awaited, so this waits past the debounce, then makes a round trip through the
        same worker (answered after any check the widget already sent), then lets the page render."""
        self.page.wait_for_timeout(DEBOUNCE_MARGIN_MS)
        self.page.evaluate(
            """async (cc) => { await window.lentera.check("x", {country: cc});
                 await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))); }""",
            country,
        )

    def check(self, text: str, country: str) -> dict:
        return self.page.evaluate(
            "async ([t, cc]) => await window.lentera.check(t, {country: cc})", [text, country]
        )

    def state(self) -> dict:
        return {**self.page.evaluate(STATE_JS), "cookies": self.context.cookies()}

    def exposed(self) -> str:
        return self.page.evaluate(EXPOSED_JS)

    def shadow_button(self, sel: str = "#q"):
        """The dismiss button inside the notice's shadow root (open or closed) as an element handle."""
        handle = self.page.evaluate_handle(
            """(sel) => { const input = document.querySelector(sel);
                 const t = input.getAttribute("data-lentera-notice");
                 const n = t ? document.querySelector(t).querySelector("lentera-notice")
                             : input.nextElementSibling;
                 const root = n.shadowRoot || window.__lt.roots.find(([h]) => h === n)[1];
                 return root.querySelector("button"); }""",
            sel,
        )
        return handle.as_element()

    def close(self) -> None:
        self.context.close()


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1)
