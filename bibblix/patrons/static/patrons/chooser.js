// The municipality chooser: filter as you type, and remember the chosen municipality on this
// device, so that next time it is one big button at the top ("Logga in i Ale") and first in the
// list. The button's words come translated from the template (data-again-label).
(function () {
  const form = document.querySelector("[data-chooser]");
  if (!form) return;
  const input = form.querySelector("[data-chooser-filter]");
  const none = form.querySelector("[data-chooser-none]");
  const items = Array.from(form.querySelectorAll("li[data-name]"));
  const remembered = localStorage.getItem("bibblix.municipality");
  const item = remembered && items.find((li) => li.querySelector("button").value === remembered);
  if (item) {
    item.parentNode.prepend(item);
    const again = form.querySelector("[data-chooser-again]");
    again.value = remembered;
    again.textContent = again.dataset.againLabel + " " + item.querySelector("button").textContent;
    form.querySelector("[data-chooser-remembered]").hidden = false;
  }
  input.addEventListener("input", () => {
    const q = input.value.trim().toLowerCase();
    let shown = 0;
    for (const li of items) { const ok = li.dataset.name.includes(q); li.hidden = !ok; shown += ok; }
    none.hidden = shown > 0;
  });
  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.value) localStorage.setItem("bibblix.municipality", event.submitter.value);
  });
})();
