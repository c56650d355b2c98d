/* The editor's area: small helpers that htmx does not cover (toasts, the desk's keys). No eval, no inline code. */
(function () {
  "use strict";

  function toast(text) {
    var box = document.getElementById("toast");
    if (!box || !text) { return; }
    box.textContent = text;
    box.classList.add("shown");
    window.clearTimeout(box._timer);
    box._timer = window.setTimeout(function () { box.classList.remove("shown"); }, 2500);
  }
  window.techissueToast = toast;

  // A server answer can ask for a toast with the HX-Trigger header: {"editor:toast": "words"}.
  document.addEventListener("editor:toast", function (event) {
    toast(event.detail && (event.detail.value || event.detail.message));
  });

  // An htmx request that fails at the network or server level still tells the editor in words.
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status >= 400 && event.detail.target && xhr.responseText && xhr.responseText.indexOf("msg") !== -1) {
      return;  // the server sent its own words; htmx swaps them in (see editor:swap-errors below)
    }
    toast(document.body.getAttribute("data-error-words") || "Error");
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    // Our error answers (4xx) carry a message in words: show them instead of dropping them.
    if (event.detail.xhr.status >= 400 && event.detail.xhr.status < 500) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.addEventListener("htmx:sendError", function () {
    toast(document.body.getAttribute("data-offline-words") || "Offline");
  });
})();
