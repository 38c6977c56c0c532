// Lentera loader: the only file a host page includes.
//
//   <script type="module" src="/lentera/lentera.js"></script>
//   <input type="search" data-lentera data-lentera-country="ID">
//
// It finds every [data-lentera] input, boots the Python matcher in a module Web Worker (lazily: on first
// focus of or pointer over such an input, or when the browser is idle), asks it about what is typed, and
// shows a <lentera-notice> with local hotlines when the query is about gender-based violence.
// The contract is documented in docs/embed.md.
//
// Privacy rules this file keeps, and why they are written as rules:
// - Query text only ever goes to the worker, and only once the worker has removed its own network access.
// - Query text is never written to an event, attribute, the console, storage or the URL. This file never
//   calls console.* at all, so nothing can leak there by mistake.
// - Failure is silent and local: the host's search box must keep working whatever happens here, so every
//   promise is handled and every error ends in the documented "error" state and a lentera:error event.

// Replaced by `lentera build` with the bundle's asset map (paths relative to this file, languages per
// country). Left as null in the source tree, where the widget reports {reason: "unbuilt"}.
const BUILD = /*LENTERA_BUILD*/ null;

const DEBOUNCE_MS = 150;
// A debounced check is sent up to this much before the debounce ends (the worker's recent round trip, p90) and
// its answer held until the debounce has passed: the notice shows at 150 ms, not 150 ms plus a round trip.
const LEAD_MAX_MS = 8;
const BOOT_TIMEOUT_MS = 120000; // a boot that never finishes must still end in the "error" state
const IDLE_FALLBACK_MS = 3000; // where requestIdleCallback is missing (Safari)
const LIVE_REGION_DELAY_MS = 50;
const SELECTOR = "input[data-lentera], textarea[data-lentera]";

// Documented mapping from a language (BCP 47 primary subtag) to the country whose lexicon serves it, used
// only when neither the input nor the site names a country. A region subtag (en-SG, zh-MY) wins over it.
// Languages spoken in several of the bundled countries (en, zh, ta) have no entry on purpose.
const COUNTRY_BY_LANGUAGE = { id: "ID", in: "ID", ms: "MY", fil: "PH", tl: "PH", th: "TH", ko: "KR", vi: "VN" };

const assetURL = (path) => new URL(path, import.meta.url).href;

// ---------------------------------------------------------------------------------------------------------
// Worker life cycle: idle -> loading -> ready | error

let widgetState = "idle";
let worker = null;
let styles = null; // {sheet} (constructable) or {href} (fallback), loaded before "ready"
let bootTimer = 0;
let timings = null; // boot stages reported by the worker
let loaded = null; // the countries the worker loaded, once ready
let nextId = 1;
const answers = new Map(); // request id -> resolve function
const roundTrips = []; // the last few check round trips to the worker, in ms
const auditWaiters = new Map();

let resolveReady;
let rejectReady;
const ready = new Promise((resolve, reject) => {
  resolveReady = resolve;
  rejectReady = reject;
});
ready.catch(() => {}); // callers see the rejection; an unobserved one must not become "unhandled"

function setState(state) {
  widgetState = state;
  for (const input of document.querySelectorAll(SELECTOR)) input.setAttribute("data-lentera-state", state);
}

function fail(reason) {
  if (widgetState === "error") return;
  clearTimeout(bootTimer);
  if (worker) {
    try { worker.terminate(); } catch { /* already gone */ }
  }
  worker = null;
  setState("error");
  for (const resolve of answers.values()) resolve(null);
  answers.clear();
  rejectReady(new Error("lentera: " + reason));
  document.dispatchEvent(new CustomEvent("lentera:error", { detail: { reason } }));
}

function start() {
  if (widgetState !== "idle") return;
  setState("loading");
  if (!BUILD) return fail("unbuilt");
  if (typeof Worker !== "function") return fail("unsupported");
  bootTimer = setTimeout(() => fail("timeout"), BOOT_TIMEOUT_MS);
  // Both the stylesheet and the worker are loaded now, before "ready": after it the widget makes no request.
  Promise.all([loadStyles(), startWorker()]).then(
    ([, countries]) => {
      clearTimeout(bootTimer);
      if (widgetState !== "loading") return;
      setState("ready");
      resolveReady(countries);
      document.dispatchEvent(new CustomEvent("lentera:ready", { detail: { countries } }));
    },
    (err) => fail(err && err.message === "css" ? "css" : "boot"),
  );
}

async function loadStyles() {
  const href = assetURL(BUILD.css);
  const response = await fetch(href, { credentials: "same-origin" }).catch(() => null);
  if (!response || !response.ok) throw new Error("css");
  const text = await response.text();
  // A constructable stylesheet is not an inline <style>: a strict `style-src 'self'` CSP allows it.
  if ("adoptedStyleSheets" in Document.prototype && typeof CSSStyleSheet.prototype.replaceSync === "function") {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    styles = { sheet };
  } else {
    styles = { href }; // older browsers: a <link> in the shadow root, served from the HTTP cache
  }
}

// A hint for the browser to fetch (and compile) the worker's first modules while the worker itself starts;
// only when the build enables it (`preload`, measured in bench/report.md).
function preload() {
  if (!BUILD.preload) return;
  for (const path of [BUILD.worker, BUILD.pyodide.indexURL + "pyodide.mjs"]) {
    const link = document.createElement("link");
    link.rel = "modulepreload";
    link.href = assetURL(path);
    document.head.append(link);
  }
}

function startWorker() {
  return new Promise((resolve, reject) => {
    preload();
    try {
      worker = new Worker(trusted("url", assetURL(BUILD.worker)), { type: "module" });
    } catch {
      reject(new Error("worker"));
      return;
    }
    worker.onerror = (event) => {
      event.preventDefault(); // keeps it out of the console; the page sees lentera:error instead
      if (widgetState === "ready") fail("worker"); // crashed after boot: end pending checks, report once
      else reject(new Error("worker"));
    };
    worker.onmessageerror = () => reject(new Error("worker"));
    worker.onmessage = (event) => {
      const message = event.data || {};
      if (message.type === "ready") {
        timings = message.timings || null;
        loaded = message.countries || [];
        resolve(loaded);
      } else if (message.type === "error") {
        reject(new Error(message.reason || "boot"));
      } else if (message.type === "result") {
        const resolveAnswer = answers.get(message.id);
        answers.delete(message.id);
        if (resolveAnswer) resolveAnswer(message.error ? null : message);
      } else if (message.type === "audit") {
        const resolveAudit = auditWaiters.get(message.id);
        auditWaiters.delete(message.id);
        if (resolveAudit) resolveAudit(message.reachable);
      }
    };
    const p = BUILD.pyodide;
    worker.postMessage({
      type: "init",
      config: {
        indexURL: assetURL(p.indexURL),
        stdLibURL: p.stdLibURL ? assetURL(p.stdLibURL) : null,
        lockFileURL: assetURL(p.lockFileURL),
        packageBaseUrl: assetURL(p.packageBaseUrl),
        packages: p.packages,
        wheelURLs: p.wheels.map(assetURL),
        install: p.install,
        lexiconURLs: Object.fromEntries(pageCountries().map((cc) => [cc, assetURL(BUILD.lexicons[cc])])),
        // Countries of the inputs on the page now: their matchers are built before ready; others on first use.
        warm: inputCountries(),
      },
    });
  });
}

// Resolves with {show, category, lang, html} or null (worker failed, or this request is stale).
function ask(text, country, lang) {
  return ready.then(() => {
    if (!worker) return null;
    const id = nextId++;
    const sent = performance.now();
    return new Promise((resolve) => {
      answers.set(id, (answer) => {
        roundTrips.push(performance.now() - sent);
        if (roundTrips.length > 20) roundTrips.shift();
        resolve(answer);
      });
      worker.postMessage({ type: "check", id, text, country, lang });
    });
  });
}

// How early a debounced check is sent: the p90 of the recent round trips (a country's first check, which
// builds its matcher, is an outlier the cap absorbs), at most LEAD_MAX_MS; none before the first answer.
function lead() {
  if (!roundTrips.length) return 0;
  const sorted = [...roundTrips].sort((a, b) => a - b);
  return Math.min(LEAD_MAX_MS, sorted[Math.floor(sorted.length * 0.9)]);
}

// ---------------------------------------------------------------------------------------------------------
// Country and language

// The bundle's countries; once ready, those whose lexicons the worker loaded (it fetches nothing after ready).
function countries() {
  if (!BUILD) return {};
  if (!loaded) return BUILD.countries;
  return Object.fromEntries(Object.entries(BUILD.countries).filter(([cc]) => loaded.includes(cc)));
}

// The countries whose lexicons the worker fetches before it is ready: those of the page's inputs, the page's
// own country (site-wide meta, else its languages) and any listed in <meta name="lentera-countries">; a page
// that names none gets them all. An input added later for another country stays off (nothing is fetched
// after ready), unless that meta lists it.
function pageCountries() {
  const meta = document.querySelector('meta[name="lentera-countries"]');
  const listed = meta ? meta.content.toUpperCase().split(/[\s,]+/) : [];
  const named = [...inputCountries(), resolveCountry(document.body), ...listed].filter((cc) => BUILD.countries[cc]);
  return named.length ? [...new Set(named)] : Object.keys(BUILD.countries);
}

// The countries of the inputs on the page now (each once).
function inputCountries() {
  return [...new Set([...document.querySelectorAll(SELECTOR)].map(resolveCountry).filter(Boolean))];
}

function siteCountry() {
  const meta = document.querySelector('meta[name="lentera-country"]');
  return meta ? meta.content : "";
}

function countryFromLanguages() {
  const known = countries();
  const tags = [document.documentElement.lang, ...(navigator.languages || [navigator.language])];
  for (const tag of tags) {
    if (!tag) continue;
    const [primary, ...rest] = tag.toLowerCase().split("-");
    const region = rest.find((part) => part.length === 2);
    if (region && known[region.toUpperCase()]) return region.toUpperCase();
    const country = COUNTRY_BY_LANGUAGE[primary];
    if (country && known[country]) return country;
  }
  return "";
}

// The input's own data-lentera-country, else the site-wide <meta name="lentera-country">, else the page's
// and the browser's languages. A named country that is not in this bundle switches the input off.
function resolveCountry(input) {
  const named = (input.getAttribute("data-lentera-country") || siteCountry()).trim().toUpperCase();
  const country = named || countryFromLanguages();
  return countries()[country] ? country : "";
}

// The page's language at the input (nearest lang attribute). The worker picks the notice language: this
// one when the country's lexicon has it (exactly, then by base language), else the country's default.
function pageLanguage(element) {
  const holder = element.closest("[lang]");
  return holder ? holder.getAttribute("lang") : "";
}

// ---------------------------------------------------------------------------------------------------------
// The notice element

let noticeCount = 0;
let policy; // a Trusted Types policy, where the page enforces them (created once, on first use)

// Two things need Trusted Types on a page that enforces them (`trusted-types lentera`): the worker's URL
// (always this bundle's own worker) and the notice HTML (generated by our own autoescaping template from
// reviewed data). Both are passed through unchanged; without Trusted Types, plain strings are used.
function trusted(kind, value) {
  if (policy === undefined) {
    policy = null;
    try {
      if (window.trustedTypes) {
        policy = window.trustedTypes.createPolicy("lentera", { createHTML: (x) => x, createScriptURL: (x) => x });
      }
    } catch { /* the page does not allow this policy name: plain strings, as without Trusted Types */ }
  }
  if (!policy) return value;
  return kind === "html" ? policy.createHTML(value) : policy.createScriptURL(value);
}

class LenteraNotice extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    if (styles && styles.sheet) {
      this.shadowRoot.adoptedStyleSheets = [styles.sheet];
    }
  }

  // `html` is the notice fragment rendered by lentera.notice (Jinja2, autoescaped, from reviewed lexicon
  // data; it never contains the query).
  fill(html) {
    const root = this.shadowRoot;
    root.replaceChildren();
    if (styles && styles.href) {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = styles.href;
      root.append(link);
    }
    const template = document.createElement("template");
    template.innerHTML = trusted("html", html);
    root.append(template.content);
  }

  clear() {
    this.shadowRoot.replaceChildren();
  }
}

function defineNotice() {
  if (!customElements.get("lentera-notice")) customElements.define("lentera-notice", LenteraNotice);
}

// ---------------------------------------------------------------------------------------------------------
// Inputs

const inputs = new WeakMap(); // input -> per-input state

function emit(input, type, detail) {
  input.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
}

function describedBy(input, id, on) {
  const ids = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter((x) => x && x !== id);
  if (on) ids.push(id);
  if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
  else input.removeAttribute("aria-describedby");
}

function noticeFor(input, st) {
  if (st.notice && st.notice.isConnected) return st.notice;
  const notice = document.createElement("lentera-notice");
  notice.id = "lentera-notice-" + ++noticeCount;
  notice.setAttribute("role", "status");
  notice.addEventListener("click", (event) => {
    const target = event.composedPath()[0];
    if (target instanceof Element && target.closest("[data-lentera-dismiss]")) dismiss(input, st);
  });
  notice.addEventListener("keydown", (event) => {
    if (event.key === "Escape") dismiss(input, st);
  });
  const selector = input.getAttribute("data-lentera-notice");
  let container = null;
  try {
    container = selector ? document.querySelector(selector) : null;
  } catch { /* an invalid selector falls back to "right after the input" */ }
  if (container) container.append(notice);
  else input.after(notice);
  st.notice = notice;
  return notice;
}

function show(input, st, result, country) {
  // A live region is announced when its content changes, not when it appears with content already in
  // it. So the first time, the (empty, zero-size) element is inserted and filled a moment later; after
  // that it stays in place, empty while nothing is shown.
  const fresh = !(st.notice && st.notice.isConnected);
  const notice = noticeFor(input, st);
  const reveal = () => {
    st.pending = 0;
    hide(input, st, "replaced", true);
    notice.setAttribute("lang", result.lang);
    try {
      notice.fill(result.html || "");
    } catch {
      // Not expected (a page that refuses our Trusted Types policy already failed at boot): report it
      // rather than throw from a timer.
      document.dispatchEvent(new CustomEvent("lentera:error", { detail: { reason: "render" } }));
      return;
    }
    notice.setAttribute("data-open", "");
    st.shown = { country, lang: result.lang, category: result.category };
    describedBy(input, notice.id, true);
    emit(input, "lentera:notice", { ...st.shown });
  };
  clearTimeout(st.pending);
  if (fresh) st.pending = setTimeout(reveal, LIVE_REGION_DELAY_MS);
  else reveal();
}

function hide(input, st, reason, silent = false) {
  clearTimeout(st.pending);
  st.pending = 0;
  if (!st.shown) return;
  const shown = st.shown;
  st.shown = null;
  if (st.notice) {
    st.notice.removeAttribute("data-open");
    st.notice.clear();
    describedBy(input, st.notice.id, false);
  }
  if (!silent) emit(input, "lentera:clear", { ...shown, reason });
}

function dismiss(input, st) {
  if (!st.shown) return;
  const hadFocus = st.notice && st.notice.matches(":focus-within");
  st.dismissed = st.shown.category;
  hide(input, st, "dismissed");
  if (hadFocus) input.focus();
}

function apply(input, st, result, country) {
  if (!result || !result.show) return hide(input, st, "query");
  if (st.dismissed === result.category) return hide(input, st, "query");
  const same = st.shown && st.shown.category === result.category && st.shown.country === country &&
    st.shown.lang === result.lang;
  if (!same) show(input, st, result, country);
}

// Checks the current value now. Each check gets a sequence number; an answer is applied only if no later
// check was started for the same input, so a slow answer can never overwrite a newer one. `due`
// (performance.now() time) is when a debounced check's answer may be shown: one that comes earlier is held
// until then (and dropped if the input changes meanwhile).
function check(input, st, due = 0) {
  clearTimeout(st.timer);
  clearTimeout(st.hold);
  const seq = ++st.seq;
  const text = input.value;
  if (!text.trim()) {
    st.dismissed = null; // "after the box is cleared" the notice may show again
    hide(input, st, "cleared");
    return;
  }
  const country = resolveCountry(input);
  if (!country) return hide(input, st, "query");
  const lang = pageLanguage(input);
  start();
  // The text waits here, in this closure, until the worker is ready; only the latest one is sent.
  ready.then(() => (st.seq === seq ? ask(text, country, lang) : null)).then(
    (result) => {
      if (st.seq !== seq || !result) return;
      const wait = due - performance.now();
      if (wait > 0) {
        st.hold = setTimeout(() => {
          if (st.seq === seq) apply(input, st, result, country);
        }, Math.ceil(wait));
      } else {
        apply(input, st, result, country);
      }
    },
    () => {}, // boot failed: already reported once through lentera:error
  );
}

// The debounce runs from the input event's timeStamp (same clock as performance.now()), so a handler that
// runs late does not add to it. New text makes any answer still on its way (or held) for older text stale.
function schedule(input, st, event) {
  clearTimeout(st.timer);
  if (st.composing) return;
  if (!input.value.trim()) return check(input, st); // clearing hides at once
  clearTimeout(st.hold);
  st.seq++;
  const now = performance.now();
  const stamp = event && event.timeStamp;
  const due = (stamp > now - 1000 && stamp <= now ? stamp : now) + DEBOUNCE_MS;
  st.timer = setTimeout(() => check(input, st, due), Math.max(0, due - lead() - now));
}

function attach(input) {
  if (inputs.has(input)) return;
  const st = { seq: 0, timer: 0, hold: 0, pending: 0, composing: false, shown: null, dismissed: null, notice: null };
  inputs.set(input, st);
  input.setAttribute("data-lentera-state", widgetState);
  input.addEventListener("focus", start);
  input.addEventListener("pointerover", start);
  input.addEventListener("input", (event) => {
    if (event.isComposing || st.composing) return; // never check a half-composed word
    schedule(input, st, event);
  });
  input.addEventListener("compositionstart", () => {
    st.composing = true;
    clearTimeout(st.timer);
  });
  input.addEventListener("compositionend", () => {
    st.composing = false;
    check(input, st);
  });
  input.addEventListener("keydown", (event) => {
    if (event.isComposing || st.composing) return;
    if (event.key === "Enter") check(input, st);
    else if (event.key === "Escape" && st.shown) {
      event.preventDefault(); // dismiss first; a second Escape clears a search box as usual
      dismiss(input, st);
    }
  });
  if (input.form) {
    // Capture phase on the form: the host's own submit handler may navigate or stop propagation.
    input.form.addEventListener("submit", () => {
      if (inputs.has(input)) check(input, st);
    }, true);
  }
}

function attachAll(root) {
  if (root.matches && root.matches(SELECTOR)) attach(root);
  if (root.querySelectorAll) for (const input of root.querySelectorAll(SELECTOR)) attach(input);
}

// An input taken out of the page takes its notice with it (a notice must never outlive its search box).
function detachAll(root) {
  const found = root.matches && root.matches(SELECTOR) ? [root] : [];
  if (root.querySelectorAll) found.push(...root.querySelectorAll(SELECTOR));
  for (const input of found) {
    const st = inputs.get(input);
    if (!st || input.isConnected) continue;
    clearTimeout(st.timer);
    clearTimeout(st.hold);
    st.seq++;
    hide(input, st, "removed");
    if (st.notice) st.notice.remove();
    st.notice = null;
  }
}

function init() {
  defineNotice();
  attachAll(document);
  new MutationObserver((records) => {
    for (const record of records) {
      if (record.type === "attributes") attachAll(record.target);
      for (const node of record.addedNodes) if (node.nodeType === 1) attachAll(node);
      for (const node of record.removedNodes) if (node.nodeType === 1) detachAll(node);
    }
  }).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["data-lentera"],
  });
  if (typeof requestIdleCallback === "function") requestIdleCallback(start, { timeout: 10000 });
  else setTimeout(start, IDLE_FALLBACK_MS);
}

// ---------------------------------------------------------------------------------------------------------
// window.lentera: for testers and integrators. Same worker, same privacy rules.

const api = Object.freeze({
  ready,
  get state() {
    return widgetState;
  },
  // The bundle's countries: {CC: {name, languages, default}}.
  get countries() {
    return JSON.parse(JSON.stringify(countries()));
  },
  // Boot stages in ms since the worker started (pyodide, packages, import, lexicons, warm), once ready.
  get timings() {
    return timings ? { ...timings } : null;
  },
  check(text, options = {}) {
    start();
    const country = String(options.country || resolveCountry(document.body) || "").toUpperCase();
    if (!countries()[country]) return ready.then(() => ({ show: false, category: null, lang: null }));
    const lang = options.lang || null; // like lentera.runtime.check: null means the country's default
    return ask(String(text), country, lang).then((r) => {
      if (!r) throw new Error("lentera: check failed");
      return { show: r.show, category: r.category, lang: r.lang };
    });
  },
  // Names of network-capable globals still reachable inside the worker (expected: none once ready).
  audit() {
    return ready.then(() => new Promise((resolve) => {
      const id = nextId++;
      auditWaiters.set(id, resolve);
      worker.postMessage({ type: "audit", id });
    }));
  },
});

// A page that includes the loader twice (say, under two URLs) gets one widget: the first one.
if (!window.lentera) {
  window.lentera = api;
  try {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init, { once: true });
    else init();
  } catch {
    fail("init");
  }
}
