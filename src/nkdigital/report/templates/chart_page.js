(function () {
  // Tabs (WAI-ARIA tabs pattern): without script every panel shows, one after the other.
  var tabs = Array.prototype.slice.call(document.querySelectorAll('[role="tab"]'));
  function select(tab, focus) {
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    });
    if (focus) tab.focus();
    window.dispatchEvent(new Event("resize"));  // plotly refits a chart shown again
  }
  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function () { select(tab, false); });
    tab.addEventListener("keydown", function (e) {
      var next = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1}[e.key];
      if (next === undefined) return;
      e.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length], true);
    });
  });
  document.querySelector(".nk-tabs").hidden = false;
  document.body.classList.add("nk-tabbed");
  var wanted = tabs.filter(function (t) { return "#" + t.getAttribute("aria-controls") === location.hash; });
  select(wanted[0] || tabs[0], false);

  // Sortable table: a header button sorts by the cells' data-sort key (else their text), again to reverse.
  function key(row, column) {
    var cell = row.cells[column];
    return cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
  }
  function compare(a, b) {
    if (a === "" || b === "") return (a === "") - (b === "");
    var x = Number(a), y = Number(b);
    return isNaN(x) || isNaN(y) ? a.localeCompare(b) : x - y;
  }
  document.querySelectorAll("table.nk-rows").forEach(function (table) {
    table.querySelectorAll("th button").forEach(function (button, column) {
      button.addEventListener("click", function () {
        var th = button.parentElement, up = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) { var c = compare(key(a, column), key(b, column)); return up ? c : -c; });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });

  // In an iframe, tell the parent page how tall this page is (the embed snippet listens), whenever it changes.
  if (window.parent !== window) {
    var last = 0;
    var report = function () {
      var height = Math.ceil(document.body.getBoundingClientRect().height);
      if (height === last) return;
      last = height;
      window.parent.postMessage({nkdigital: "height", height: height}, "*");
    };
    new ResizeObserver(report).observe(document.body);
    window.addEventListener("load", report);
  }
})();
