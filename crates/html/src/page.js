(function () {
  "use strict";
  function norm(s) {
    return s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
    Array.prototype.forEach.call(document.querySelectorAll("[data-era-panel]"), function (p) { p.hidden = false; });
  });

  // The grid: one era of years at a time, chosen by its tab; a filter by name or code and by
  // verdict over the era shown.
  var form = document.getElementById("grid-filter");
  if (form) {
    var text = document.getElementById("filter-text");
    var verdict = document.getElementById("filter-verdict");
    var status = document.getElementById("filter-status");
    var tabs = Array.prototype.slice.call(document.querySelectorAll("[data-era-tabs] [role=tab]"));
    var panels = Array.prototype.slice.call(document.querySelectorAll("[data-era-panel]"));
    var era = 0;
    var rowsOf = panels.map(function (p) {
      return Array.prototype.slice.call(p.querySelectorAll("tr[data-authority-row]"));
    });
    var keysOf = rowsOf.map(function (rows) {
      return rows.map(function (r) { return norm(r.getAttribute("data-filter") || ""); });
    });
    var apply = function () {
      var q = norm(text.value), v = verdict.value;
      var rows = rowsOf[era] || [], keys = keysOf[era] || [], shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var ok = (q === "" || keys[i].indexOf(q) !== -1) &&
          (v === "" || (" " + rows[i].getAttribute("data-verdicts") + " ").indexOf(" " + v + " ") !== -1);
        rows[i].hidden = !ok;
        if (ok) { shown++; }
      }
      if (panels[era]) {
        Array.prototype.forEach.call(panels[era].querySelectorAll(".gpart"), function (part) {
          part.hidden = part.querySelector("tr[data-authority-row]:not([hidden])") === null;
        });
      }
      var label = tabs[era] ? " in " + tabs[era].textContent : "";
      status.textContent = shown + " of " + rows.length + " authorities shown" + label;
      status.setAttribute("data-shown", String(shown));
    };
    var choose = function (k) {
      era = k;
      tabs.forEach(function (t, j) {
        t.setAttribute("aria-selected", String(j === k));
        t.tabIndex = j === k ? 0 : -1;
      });
      panels.forEach(function (p, j) { p.hidden = j !== k; });
      apply();
    };
    tabs.forEach(function (t, k) {
      t.addEventListener("click", function () { choose(k); });
      t.addEventListener("keydown", function (e) {
        var to = e.key === "ArrowRight" ? k + 1 : e.key === "ArrowLeft" ? k - 1 : -1;
        if (to >= 0 && to < tabs.length) { e.preventDefault(); choose(to); tabs[to].focus(); }
      });
    });
    text.addEventListener("input", apply);
    verdict.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.hidden = false;
    var note = document.getElementById("filter-nojs");
    if (note) { note.hidden = true; }
    var tablist = document.querySelector("[data-era-tabs]");
    if (tablist) { tablist.hidden = false; }
    // A link to a row or cell of another era (from an assessment) opens that era.
    var follow = function () {
      var id = decodeURIComponent(location.hash.slice(1));
      var target = id && document.getElementById(id);
      if (!target) { return; }
      for (var k = 0; k < panels.length; k++) {
        if (panels[k].contains(target) && k !== era) { choose(k); target.scrollIntoView(); return; }
      }
    };
    window.addEventListener("hashchange", follow);
    choose(0);
    follow();
  }

  // The providers' table: a search over URN, name, local authority and inspection number.
  var search = document.getElementById("provider-search");
  if (search) {
    var input = document.getElementById("provider-text");
    var out = document.getElementById("provider-status");
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-provider-group]"));
    var prows = Array.prototype.slice.call(document.querySelectorAll("#providers tbody tr"));
    var pkeys = prows.map(function (r) { return norm(r.textContent); });
    var run = function () {
      var q = norm(input.value), shown = 0;
      for (var i = 0; i < prows.length; i++) {
        var ok = q === "" || pkeys[i].indexOf(q) !== -1;
        prows[i].hidden = !ok;
        if (ok) { shown++; }
      }
      groups.forEach(function (g) {
        var any = g.querySelector("tbody tr:not([hidden])") !== null;
        g.hidden = !any;
        if (q !== "" && any) { g.open = true; }
      });
      out.textContent = shown + " of " + prows.length + " inspections shown";
    };
    input.addEventListener("input", run);
    search.addEventListener("submit", function (e) { e.preventDefault(); });
    search.hidden = false;
    var pnote = document.getElementById("provider-nojs");
    if (pnote) { pnote.hidden = true; }
    // A link to a provider's row opens its group.
    var open = function () {
      var id = decodeURIComponent(location.hash.slice(1));
      var row = id && document.getElementById(id);
      var group = row && row.closest && row.closest("details");
      if (group && !group.open) { group.open = true; row.scrollIntoView(); }
    };
    window.addEventListener("hashchange", open);
    open();
  }
})();
