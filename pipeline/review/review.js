// Review page behaviour: one view per kind (filter), sortable tables. No network access.
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
  document.querySelectorAll("table.sortable th").forEach(function (th, col) {
    th.addEventListener("click", function () {
      var tbody = th.closest("table").querySelector("tbody");
      var rows = Array.prototype.slice.call(tbody.rows);
      var asc = th.dataset.asc !== "1"; th.dataset.asc = asc ? "1" : "0";
      rows.sort(function (a, b) {
        var x = a.cells[col].textContent, y = b.cells[col].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
    });
  });
})();
