/* Presisi dashboards: save an inline SVG chart/map as PNG, and describe the focused map region.
   No library, no network: the SVG is drawn onto a canvas in the browser. */
(function () {
  "use strict";

  function svgToPng(svg, filename) {
    var box = svg.viewBox.baseVal;
    var width = Math.round(box && box.width ? box.width : svg.getBoundingClientRect().width);
    var height = Math.round(box && box.height ? box.height : svg.getBoundingClientRect().height);
    var scale = Math.min(2, 2400 / width);
    var copy = svg.cloneNode(true);
    // External images (an optional basemap) would taint the canvas: leave them out of the PNG.
    copy.querySelectorAll("image").forEach(function (el) { el.remove(); });
    copy.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    copy.setAttribute("width", width);
    copy.setAttribute("height", height);
    var data = new XMLSerializer().serializeToString(copy);
    var url = URL.createObjectURL(new Blob([data], { type: "image/svg+xml;charset=utf-8" }));
    var img = new Image();
    img.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
      URL.revokeObjectURL(url);
      canvas.toBlob(function (blob) {
        var a = document.createElement("a");
        a.href = URL.createObjectURL(blob);
        a.download = filename;
        document.body.appendChild(a);
        a.click();
        setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
      }, "image/png");
    };
    img.src = url;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-png]");
    if (!button) { return; }
    var svg = document.getElementById(button.getAttribute("data-png"));
    if (svg) { svgToPng(svg, button.getAttribute("data-nama") || "gambar.png"); }
  });

  function describe(event) {
    var link = event.target.closest && event.target.closest("svg.peta a");
    if (!link) { return; }
    var figure = link.closest("figure");
    var out = figure && figure.querySelector("[data-info]");
    if (out) { out.textContent = link.getAttribute("aria-label"); }
  }
  document.addEventListener("focusin", describe);
  document.addEventListener("mouseover", describe);

  // Show the PNG buttons only when the browser can make PNGs (they do nothing without JS).
  document.querySelectorAll("button[data-png]").forEach(function (b) { b.hidden = false; });
})();
