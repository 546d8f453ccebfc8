// Copy buttons beside read-only fields (feed addresses). Without JavaScript the buttons stay hidden and the
// field can be selected and copied by hand; loaded as a file (the CSP allows no inline script).
(function () {
  "use strict";
  function copy(button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    var done = function () {
      var label = button.textContent;
      button.textContent = button.getAttribute("data-copied");
      button.setAttribute("aria-live", "polite");
      window.setTimeout(function () { button.textContent = label; }, 2000);
    };
    field.focus();
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        if (document.execCommand("copy")) { done(); }
      });
    } else if (document.execCommand("copy")) {
      done();
    }
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();
