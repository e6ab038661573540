// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // "/" focuses the search box (unless the reader is already typing somewhere).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName ? target.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || (target && target.isContentEditable)) return;
    var box = document.querySelector("input[data-shortcut='/']");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // Empty date boxes are left out of the URL, so shared links stay short.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.querySelectorAll) return;
    var inputs = form.querySelectorAll("input[name='from'], input[name='to']");
    for (var i = 0; i < inputs.length; i++) {
      if (!inputs[i].value.trim()) inputs[i].disabled = true;
    }
  });
  // Re-enable them when the page is restored from the back/forward cache.
  window.addEventListener("pageshow", function () {
    var inputs = document.querySelectorAll("input[name='from'], input[name='to']");
    for (var i = 0; i < inputs.length; i++) inputs[i].disabled = false;
  });
})();
