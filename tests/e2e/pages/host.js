// The host site's own search box behaviour: it must keep working whatever the widget does.
window.hostSubmits = 0;
document.addEventListener("submit", (event) => {
  event.preventDefault();
  window.hostSubmits += 1;
  document.getElementById("results").textContent = "Results: " + window.hostSubmits;
});
