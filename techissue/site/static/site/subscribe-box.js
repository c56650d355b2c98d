// The subscribe box of the edition pages: fills the CSRF token from the cookie (asked of /csrf/ when missing).
// A static file, not an inline script: exported pages are served by nginx under a CSP without nonces.
(function () {
  // CSRF stays on: the token is the csrftoken cookie's value, asked of /csrf/ when the reader has none yet.
  var form = document.querySelector("form[data-csrf-url]");
  if (!form || !window.fetch) return;
  var field = form.elements.csrfmiddlewaretoken;
  var cookiePattern = new RegExp("(?:^|;\\s*)" + form.dataset.csrfCookie + "=([^;]+)");
  var pending = null;
  function fromCookie() {
    var match = document.cookie.match(cookiePattern);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function token() {
    var value = fromCookie();
    if (value) return Promise.resolve(value);
    pending = pending || fetch(form.dataset.csrfUrl, {credentials: "same-origin", cache: "no-store"})
      .then(fromCookie, function () { return ""; });
    return pending;
  }
  form.hidden = false;
  form.addEventListener("focusin", function () { token().then(function (value) { field.value = value; }); }, {once: true});
  form.addEventListener("submit", function (event) {
    var value = fromCookie();
    if (value) { field.value = value; return; }
    event.preventDefault();
    token().then(function (value) {
      // No cookie even after asking (cookies blocked, offline): the subscription page has its own form.
      if (value) { field.value = value; form.submit(); } else { window.location.href = form.action; }
    });
  });
})();
