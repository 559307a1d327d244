// Moves focus to a form's error summary when the page comes back with errors, so a screen
// reader announces it and the keyboard starts there; a link in it moves focus to its field.
// A static file: the Content-Security-Policy forbids inline script.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (target) {
      event.preventDefault();
      target.scrollIntoView({ block: "center" });
      target.focus();
    }
  });
})();
