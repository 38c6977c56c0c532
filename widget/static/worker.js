// Lentera worker: runs the Python matcher (package `lentera`) in Pyodide, inside a module Web Worker.
//
// Protocol (all messages are plain objects; none that leaves this worker carries query text):
//   page -> worker  {type: "init", config}            once; config comes from lentera.js (all URLs absolute)
//   worker -> page  {type: "ready", countries, timings} or {type: "error", reason}
//   page -> worker  {type: "check", id, text, country, lang}
//   worker -> page  {type: "result", id, show, category, lang, html} or {type: "result", id, error: true}
//   page -> worker  {type: "audit", id} -> {type: "audit", id, reachable: [...]}  network globals still present
//
// Order matters for the privacy claim: everything the worker will ever need (Pyodide, stdlib, wheels,
// lexicons) is fetched during boot; then every network-capable global is removed, and only then is the
// worker "ready". The page sends no query text before "ready" (lentera.js queues it), so no query ever
// reaches a scope that can talk to the network.

// Silence: Pyodide and Emscripten may print progress or warnings, and a console line could in principle
// carry data. Nothing in this worker is ever written to the console.
for (const name of ["log", "info", "warn", "error", "debug", "trace"]) {
  try { console[name] = () => {}; } catch { /* a frozen console is already harmless here */ }
}

// Globals through which code in this scope could reach the network (or, last two, persistent storage and
// other same-origin pages). Removed after boot; nothing after boot needs them.
const NETWORK_GLOBALS = [
  "fetch", "XMLHttpRequest", "WebSocket", "WebSocketStream", "EventSource", "WebTransport",
  "importScripts", "Worker", "SharedWorker", "caches", "CacheStorage", "Cache",
  "BackgroundFetchManager", "Request", "navigator.sendBeacon", "indexedDB", "BroadcastChannel",
];

let runtime = null;  // the `lentera.runtime` module as a PyProxy, once booted
let booting = null;

function lockDown() {
  for (const name of NETWORK_GLOBALS) {
    const [owner, key] = name.startsWith("navigator.") ? [self.navigator, name.slice(10)] : [self, name];
    if (!owner || !(key in owner)) continue;
    try { delete owner[key]; } catch { /* not configurable: fall through to overriding */ }
    try {
      // Also shadow anything inherited from a prototype, and keep it from being put back.
      Object.defineProperty(owner, key, { value: undefined, writable: false, configurable: false });
    } catch { /* reported by audit() if it is still reachable */ }
  }
}

function reachable() {
  return NETWORK_GLOBALS.filter((name) => {
    const [owner, key] = name.startsWith("navigator.") ? [self.navigator, name.slice(10)] : [self, name];
    return owner && owner[key] !== undefined;
  });
}

async function getText(url) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error("fetch " + response.status);
  return response.text();
}

const ms = (t0) => Math.round(performance.now() - t0);

async function boot(config) {
  const t0 = performance.now();
  const timings = {};
  // Start the lexicon downloads now (one file per country the page names); they run in parallel with the
  // interpreter boot.
  const lexicons = Promise.all(Object.values(config.lexiconURLs || {}).map(getText));
  lexicons.catch(() => {});  // awaited below; this only keeps an early failure from going unhandled

  const { loadPyodide } = await import(config.indexURL + "pyodide.mjs");
  const quiet = () => {};
  const options = {
    indexURL: config.indexURL,
    lockFileURL: config.lockFileURL,
    // Always set: otherwise Pyodide computes a CDN fallback for packages it cannot find.
    packageBaseUrl: config.packageBaseUrl,
    stdout: quiet,
    stderr: quiet,
    env: { PYTHONDONTWRITEBYTECODE: "1" },
  };
  // Hook for a later performance step (e.g. a precompiled .pyc standard library).
  if (config.stdLibURL) options.stdLibURL = config.stdLibURL;
  if (config.install === "loadPackage") {
    // Downloaded while the interpreter bootstraps; resolved from the bundle's trimmed lock file.
    options.packages = config.packages;
  }
  const pyodide = await loadPyodide(options);
  timings.pyodide = ms(t0);

  if (config.install === "micropip") {
    await pyodide.loadPackage(["micropip"], { messageCallback: quiet, errorCallback: quiet });
    const micropip = pyodide.pyimport("micropip");
    await micropip.install.callKwargs(config.wheelURLs, { deps: false });
    micropip.destroy();
  }
  timings.packages = ms(t0);

  const rt = pyodide.pyimport("lentera.runtime");
  timings.import = ms(t0);
  const countries = rt.load(...(await lexicons)).toJs();
  timings.lexicons = ms(t0);
  // Warm the first check (matcher build, lazy imports) for the page's countries, so the first real query is
  // fast (Jinja2 and the template load just after ready, see onInit); a country no input uses yet is built on
  // its first check (CPU only, no network).
  for (const country of (config.warm || []).filter((c) => countries.includes(c))) {
    rt.check("lentera", country).destroy();
  }
  timings.warm = ms(t0);
  return { rt, countries, timings };
}

async function onInit(config) {
  try {
    const { rt, countries, timings } = await boot(config);
    lockDown();
    runtime = rt;
    self.postMessage({ type: "ready", countries, timings });
    // Jinja2 and the notice template load now, just after ready and before anyone has typed, so that neither
    // delays ready nor the first notice. (A check that arrives first waits for this task, then runs.)
    setTimeout(() => {
      try { rt.prepare(); } catch { /* the first notice will try again, and report a failure itself */ }
    }, 0);
  } catch (err) {
    // The stage name is all that leaves; error text could contain URLs or Python tracebacks.
    lockDown();
    self.postMessage({ type: "error", reason: "boot" });
  }
}

function onCheck({ id, text, country, lang }) {
  let result = null;
  try {
    const t0 = performance.now();
    result = runtime.check(String(text), String(country), lang ? String(lang) : null);
    const decision = result.toJs({ dict_converter: Object.fromEntries });
    self.postMessage({
      type: "result",
      id,
      show: Boolean(decision.show),
      category: decision.category ?? null,
      lang: decision.lang ?? null,
      html: decision.show ? decision.html ?? null : null,
      // The check's own time in ms (for bench/bench_browser.py; the loader ignores it): Python's matcher and
      // notice, plus the conversion of its answer. Precise only in a cross-origin-isolated page.
      ms: performance.now() - t0,
    });
  } catch {
    self.postMessage({ type: "result", id, error: true });
  } finally {
    if (result && typeof result.destroy === "function") result.destroy();
  }
}

self.onmessage = (event) => {
  const message = event.data || {};
  if (message.type === "init" && !booting) {
    booting = onInit(message.config || {});
  } else if (message.type === "check") {
    if (runtime) onCheck(message);
    else self.postMessage({ type: "result", id: message.id, error: true });
  } else if (message.type === "audit") {
    self.postMessage({ type: "audit", id: message.id, reachable: reachable() });
  }
};
