(function () {
  "use strict";
  var form = document.getElementById("grid-filter");
  if (!form) { return; }
  var text = document.getElementById("filter-text");
  var verdict = document.getElementById("filter-verdict");
  var status = document.getElementById("filter-status");
  var rows = Array.prototype.slice.call(document.querySelectorAll("#grid tbody tr[data-authority-row]"));
  var parts = Array.prototype.slice.call(document.querySelectorAll("#grid .gpart"));
  function norm(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }
  var keys = rows.map(function (r) { return norm(r.getAttribute("data-filter") || ""); });
  function apply() {
    var q = norm(text.value), v = verdict.value, shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var ok = (q === "" || keys[i].indexOf(q) !== -1) &&
        (v === "" || (" " + rows[i].getAttribute("data-verdicts") + " ").indexOf(" " + v + " ") !== -1);
      rows[i].hidden = !ok;
      if (ok) { shown++; }
    }
    parts.forEach(function (part) {
      part.hidden = part.querySelector("tr[data-authority-row]:not([hidden])") === null;
    });
    status.textContent = shown + " of " + rows.length + " authorities shown";
    status.setAttribute("data-shown", String(shown));
  }
  text.addEventListener("input", apply);
  verdict.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.hidden = false;
  var note = document.getElementById("filter-nojs");
  if (note) { note.hidden = true; }
  if (text.value !== "" || verdict.value !== "") { apply(); }
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
})();
