// The dashboard's only script: the hand-over of Telegram's initData when
// the page opens as a Mini App, and sorting the scorecard in place.
(function () {
  "use strict";
  var tg = window.Telegram && window.Telegram.WebApp;
  if (tg) {
    try { tg.ready(); tg.expand(); } catch (e) { /* an old client */ }
  }
  var body = document.body;

  // Telegram passes initData to its script and, in the URL's fragment, to
  // pages that run without it.
  function initData() {
    if (tg && tg.initData) { return tg.initData; }
    try {
      return new URLSearchParams(location.hash.slice(1)).get("tgWebAppData") || "";
    } catch (e) { return ""; }
  }
  if (body.dataset.page === "signin" && !body.dataset.message) {
    var data = initData();
    if (data) {
      var wait = document.getElementById("wait"), who = document.getElementById("stranger");
      if (wait && who) { wait.hidden = false; who.hidden = true; }
      fetch("/auth/telegram", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "init_data=" + encodeURIComponent(data)
      }).then(function (r) {
        if (r.ok) { location.replace(location.pathname + location.search); return; }
        if (wait && who) { wait.hidden = true; who.hidden = false; }
      });
    }
  }

  // A one-time link's page spends the link at once; a preview that
  // fetched the URL ran no script and spent nothing.
  var linkForm = document.getElementById("link-form");
  if (linkForm) { linkForm.submit(); }

  // A table whose rows are all on the page sorts in place; otherwise the
  // header's link asks the server for the sorted page.
  document.querySelectorAll("table.sortable[data-complete]").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    table.querySelectorAll("thead a[data-col]").forEach(function (a) {
      a.addEventListener("click", function (ev) {
        ev.preventDefault();
        var col = +a.dataset.col, num = a.dataset.num === "1", th = a.parentNode;
        var desc = th.getAttribute("aria-sort") ? th.getAttribute("aria-sort") === "ascending" : num;
        var tbody = table.tBodies[0];
        var rows = Array.prototype.slice.call(tbody.rows);
        rows.sort(function (x, y) {
          var a1 = x.cells[col].dataset.v, b1 = y.cells[col].dataset.v, c;
          c = num ? (+a1) - (+b1) : a1.localeCompare(b1, "vi");
          return desc ? -c : c;
        });
        rows.forEach(function (r) { tbody.appendChild(r); });
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", desc ? "descending" : "ascending");
      });
    });
  });
})();
