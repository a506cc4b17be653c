/* Presisi: the little behaviour every page shares. Pages carry no inline script or style (the
   Content-Security-Policy forbids both), so data-driven sizes arrive as data-* attributes and are
   applied here through the CSSOM, which the policy allows. */
(function () {
  "use strict";

  function percent(value) {
    var n = parseFloat(value);
    return isFinite(n) ? Math.max(0, Math.min(100, n)) + "%" : "0%";
  }

  function apply(root) {
    // bar segments and progress bars: width in percent
    root.querySelectorAll("[data-lebar]").forEach(function (el) {
      el.style.width = percent(el.getAttribute("data-lebar"));
    });
    // small inline bars whose CSS reads the --w custom property
    root.querySelectorAll("[data-w]").forEach(function (el) {
      el.style.setProperty("--w", percent(el.getAttribute("data-w")));
    });
    // buttons that only work with script (print) are shown once script runs
    root.querySelectorAll("button[data-cetak]").forEach(function (b) { b.hidden = false; });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("button[data-cetak]")) { window.print(); }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { apply(document); });
  } else {
    apply(document);
  }
})();
