// Review page behaviour: one view per kind (filter), sortable tables, clamped cells that open on
// a click, and a search box. Nothing here reaches the network.
(function () {
  function show(kind) {
    document.querySelectorAll(".view").forEach(function (v) {
      v.classList.toggle("active", v.dataset.kind === kind);
    });
    document.querySelectorAll("input[name=kind]").forEach(function (r) { r.checked = r.value === kind; });
    document.body.dataset.kind = kind;
  }
  document.querySelectorAll("input[name=kind]").forEach(function (r) {
    r.addEventListener("change", function () { show(r.value); history.replaceState(null, "", "#kind=" + r.value); });
  });
  var m = /kind=([a-z]+)/.exec(location.hash);
  if (document.querySelector(".view")) { show(m ? m[1] : "all"); }

  // A highlight's label shows the normalised value clipped to the span's width: all of it on hover.
  document.querySelectorAll(".hl-label a").forEach(function (a) { a.title = a.textContent; });

  // Sorting: each table on its own; header cells are counted within their own table.
  var collator = new Intl.Collator("nb", { numeric: true, sensitivity: "base" });
  function key(cell, type) {
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (raw === "") { return null; }
    if (type === "num" || type === "year") { var n = parseFloat(raw); return isNaN(n) ? null : n; }
    return raw;  // dates are ISO (yyyy-mm-dd...): as strings they sort as dates
  }
  function sortBy(table, th) {
    var col = th.cellIndex, type = th.dataset.type;
    var asc = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var tbody = table.tBodies[0];
    var rows = Array.prototype.slice.call(tbody.rows).map(function (r, i) { return [key(r.cells[col], type), i, r]; });
    rows.sort(function (a, b) {
      if (a[0] === null || b[0] === null) { return (a[0] === null) - (b[0] === null) || a[1] - b[1]; }  // empty last
      var c = typeof a[0] === "number" ? a[0] - b[0] : (type === "date" ? (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) : collator.compare(a[0], b[0]));
      return (asc ? c : -c) || a[1] - b[1];
    });
    rows.forEach(function (r) { tbody.appendChild(r[2]); });
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.tabIndex = 0;
      th.addEventListener("click", function () { sortBy(table, th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sortBy(table, th); } });
    });
  });
  document.querySelectorAll(".clamp").forEach(function (c) {
    c.addEventListener("click", function () { c.classList.toggle("open"); });
  });

  // Search: rows (and list items) with data-search hide unless they hold every word typed.
  document.querySelectorAll("input[data-search-in]").forEach(function (box) {
    var items = document.querySelectorAll(box.dataset.searchIn);
    var count = document.getElementById(box.id + "-count");
    function filter() {
      var words = box.value.toLocaleLowerCase("nb").split(/\s+/).filter(Boolean), shown = 0;
      items.forEach(function (it) {
        var hay = it.dataset.search || "";
        var hit = words.every(function (w) { return hay.indexOf(w) >= 0; });
        var hide = !hit || (it.dataset.hideEmpty !== undefined && !words.length);
        it.hidden = hide;
        if (!hide) { shown += 1; }
      });
      if (count) { count.textContent = words.length ? shown + " match" + (shown === 1 ? "" : "es") : ""; }
    }
    box.addEventListener("input", filter);
    filter();
  });
})();
