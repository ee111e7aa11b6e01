// Homeward: the only script. Suggests persons while a name is typed in the report form;
// every page works without it (the person id can be pasted).
"use strict";
(function () {
  function debounce(fn, ms) {
    var t;
    return function () { clearTimeout(t); var a = arguments; t = setTimeout(function () { fn.apply(null, a); }, ms); };
  }
  function attach(box) {
    var target = document.getElementById(box.getAttribute("data-suggest"));
    var list = document.getElementById(box.getAttribute("aria-controls"));
    if (!target || !list) return;
    var lookup = debounce(function () {
      var q = box.value.trim();
      if (q.length < 2) { list.textContent = ""; return; }
      fetch("/suggest?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (hits) {
          list.textContent = "";
          hits.forEach(function (h) {
            var li = document.createElement("li");
            var b = document.createElement("button");
            b.type = "button";
            b.setAttribute("dir", "auto");
            b.textContent = h.label;
            b.addEventListener("click", function () {
              target.value = h.person_id;
              box.value = h.label;
              list.textContent = "";
              target.dispatchEvent(new Event("change"));
            });
            li.appendChild(b);
            list.appendChild(li);
          });
        })
        .catch(function () { list.textContent = ""; });
    }, 250);
    box.addEventListener("input", lookup);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest]").forEach(attach);
  });
})();
