/* Transparency Portal: accessibility fixes to material's markup. No network, no dependencies. */
(function () {
  "use strict";

  /* The few words this script shows, in the page's language (main.html writes them). */
  var words = (function () {
    var found = document.getElementById("portal-words");
    try {
      return found ? JSON.parse(found.textContent) : {};
    } catch (err) {
      return {};
    }
  })();

  /* Material wraps every table in a scroll box (in its script, so not in our HTML). A box that
     scrolls must be reachable by keyboard and named (WCAG 2.1.1), so it gets tabindex and a label. */
  function fixTables() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (!wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (words.table) {
          wrap.setAttribute("aria-label", words.table);
        }
      }
    });
  }

  /* On a phone a wide table becomes one card per row (portal.css): each cell is labelled with its
     column's heading, so no column hides behind a sideways scroll. */
  function labelCells() {
    document.querySelectorAll(".md-typeset table").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      if (heads.length < 3) {
        return;
      }
      table.setAttribute("data-portal-cards", "");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, i) {
          if (heads[i] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", heads[i]);
          }
        });
      });
    });
  }

  /* Material's search overlay is a dialog without a name. */
  function fixSearch() {
    var search = document.querySelector(".md-search[role=dialog]");
    if (search && words.search && !search.hasAttribute("aria-label")) {
      search.setAttribute("aria-label", words.search || "Search");
    }
  }

  /* Material's version selector opens the same page in the chosen version only if it finds it in
     that version's sitemap.xml, which is empty without site_url: the reader lands on the home page.
     Open the same path relative to the version's root instead, when the chosen version has it. */
  function samePageInVersion(event) {
    var link = event.target instanceof Element ? event.target.closest(".md-version a") : null;
    var config = document.getElementById("__config");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey || !config
        || !/^https?:$/.test(window.location.protocol)) {
      return;
    }
    var base = new URL(JSON.parse(config.textContent).base, window.location.href).href;
    base = base.endsWith("/") ? base : base + "/";
    var here = window.location.href.split("#")[0];
    if (here.indexOf(base) !== 0) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    var target = new URL(here.slice(base.length), new URL(link.href)).href;
    fetch(target, { method: "HEAD" }).then(function (response) {
      window.location.assign(response.ok ? target : link.href);
    }, function () {
      window.location.assign(link.href);
    });
  }

  document.addEventListener("click", samePageInVersion, true);

  function fix() {
    fixSearch();
    labelCells();
    fixTables();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { window.setTimeout(fix, 0); });
  } else {
    document.addEventListener("DOMContentLoaded", fix);
  }
})();
