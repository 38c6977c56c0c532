// Demo page behaviour (not part of the widget): the country and language switcher, a search form that
// searches nothing, and the live "requests since ready" counter of the network panel.

const params = new URLSearchParams(location.search);
const countries = window.lentera ? window.lentera.countries : {};
const codes = Object.keys(countries).sort();
const country = codes.includes((params.get("country") || "").toUpperCase())
  ? params.get("country").toUpperCase()
  : codes.includes("ID") ? "ID" : codes[0];

const input = document.getElementById("q");
const form = document.getElementById("search");
const status = document.getElementById("search-status");

// The widget reads the country and the page language at each check, so setting them now is enough.
if (country) {
  input.setAttribute("data-lentera-country", country);
  const info = countries[country];
  const lang = info.languages.includes(params.get("lang")) ? params.get("lang") : info.default;
  form.setAttribute("lang", lang);

  const countrySelect = document.getElementById("country");
  for (const code of codes) countrySelect.add(new Option(`${countries[code].name} (${code})`, code, false, code === country));
  const langSelect = document.getElementById("lang");
  for (const code of info.languages) langSelect.add(new Option(code, code, false, code === lang));
  countrySelect.addEventListener("change", () => {
    langSelect.disabled = true; // the new country's default language applies
  });
}

// A demo search runs nothing: the query never leaves the page, not even in the URL.
form.addEventListener("submit", (event) => {
  event.preventDefault();
  status.hidden = false;
});

const stateOut = document.getElementById("widget-state");
const countOut = document.getElementById("request-count");
const showState = () => {
  stateOut.textContent = window.lentera ? window.lentera.state : "not loaded";
};
showState();
for (const type of ["focusin", "pointerover"]) document.addEventListener(type, () => setTimeout(showState, 0));
document.addEventListener("lentera:error", showState);
document.addEventListener("lentera:ready", () => {
  showState();
  let count = 0;
  countOut.textContent = "0";
  new PerformanceObserver((list) => {
    count += list.getEntries().length;
    countOut.textContent = String(count);
  }).observe({ type: "resource" });
});
