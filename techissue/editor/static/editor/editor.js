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

/* The desk's keys: j/k move, p pick, s skip, u undo, o open, x mark, m merge, / search, ? keys. */
(function () {
  "use strict";
  if (!document.body.classList.contains("desk-page")) { return; }

  var currentId = null;
  var undoStack = [];   // story ids, most recent decision last
  var marked = [];      // story ids marked for merge

  function cards() { return Array.prototype.slice.call(document.querySelectorAll("#desk-list li.story")); }
  function card(id) { return document.getElementById("story-" + id); }
  function currentCard() { return currentId ? card(currentId) : null; }

  function setCurrent(el, scroll) {
    cards().forEach(function (c) { c.classList.remove("current"); c.removeAttribute("aria-current"); });
    if (!el) { currentId = null; return; }
    currentId = el.getAttribute("data-story");
    el.classList.add("current");
    el.setAttribute("aria-current", "true");
    if (scroll !== false) { el.scrollIntoView({ block: "nearest" }); }
  }

  function move(step) {
    var list = cards();
    if (!list.length) { return; }
    var index = list.indexOf(currentCard());
    var next = index < 0 ? 0 : Math.min(list.length - 1, Math.max(0, index + step));
    setCurrent(list[next]);
  }

  function press(selector) {
    var el = currentCard();
    var button = el && el.querySelector(selector);
    if (button && !button.disabled && !button.hidden) { button.click(); return true; }
    return false;
  }

  function openPanel(el) {
    if (!el) { return; }
    htmx.ajax("GET", el.getAttribute("data-panel-url"), { target: "#panel", swap: "innerHTML" }).then(function () {
      // On a narrow screen the panel sits under the list: bring it into view.
      if (window.matchMedia("(max-width: 1000px)").matches) { document.getElementById("panel").scrollIntoView(); }
    });
  }

  function showMarks() {
    var bar = document.getElementById("mergebar");
    marked = marked.filter(function (id) { return card(id); });
    cards().forEach(function (c) { c.classList.toggle("marked", marked.indexOf(c.getAttribute("data-story")) !== -1); });
    bar.hidden = marked.length === 0;
    document.getElementById("mergebar-count").textContent =
      document.getElementById("desk-words").getAttribute("data-merge-count") + " " + marked.length;
  }

  function toggleMark() {
    var el = currentCard();
    if (!el) { return; }
    var id = el.getAttribute("data-story");
    var at = marked.indexOf(id);
    if (at === -1) { marked.push(id); } else { marked.splice(at, 1); }
    showMarks();
  }

  function mergeMarked() {
    if (marked.length < 2) { window.techissueToast(document.getElementById("mergebar-count").textContent); return; }
    var values = { stories: marked.slice() };
    htmx.ajax("POST", document.getElementById("merge-marked").getAttribute("data-url"),
      { target: "#panel", swap: "innerHTML", values: values });
    marked = [];
    showMarks();
  }

  function toggleKeys(show) {
    var keys = document.getElementById("keys");
    keys.hidden = show === undefined ? !keys.hidden : !show;
  }

  // After a card is swapped (pick, skip, undo) or the list is refreshed, keep the place.
  document.body.addEventListener("htmx:afterSettle", function () {
    var el = currentCard();
    if (!el) {
      var wanted = document.getElementById("desk-list");
      var fromServer = wanted && wanted.getAttribute("data-current");
      el = fromServer ? card(fromServer) : null;
    }
    if (el) { setCurrent(el, false); }
    showMarks();
  });

  document.body.addEventListener("editor:decided", function (event) {
    var detail = event.detail || {};
    if (detail.decision) {
      undoStack.push(String(detail.story));
      var el = card(detail.story);
      if (el && String(detail.story) === currentId) {
        var list = cards();
        var index = list.indexOf(el);
        if (index >= 0 && index < list.length - 1) { setCurrent(list[index + 1]); }
      }
    }
  });

  document.body.addEventListener("desk:refresh", function (event) {
    var detail = event.detail || {};
    if (detail.story) { currentId = String(detail.story); }
  });

  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("#desk-list li.story");
    if (el && !event.target.closest("button, a, input, label")) { setCurrent(el, false); openPanel(el); }
    if (event.target.id === "keys-close") { toggleKeys(false); }
    if (event.target.closest && event.target.closest("#merge-marked")) { mergeMarked(); }
    if (event.target.id === "merge-clear") { marked = []; showMarks(); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) {
      if (event.key === "Escape") { event.target.blur(); }
      return;
    }
    var handled = true;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "p": press(".act-pick"); break;
      case "s": press(".act-skip"); break;
      case "u": {
        var last = undoStack.pop();
        if (last && card(last)) { setCurrent(card(last)); press(".act-undo"); }
        break;
      }
      case "o": case "Enter": openPanel(currentCard()); break;
      case "x": toggleMark(); break;
      case "m": mergeMarked(); break;
      case "/": document.getElementById("desk-search").focus(); break;
      case "?": toggleKeys(); break;
      case "Escape": toggleKeys(false); break;
      default: handled = false;
    }
    if (handled) { event.preventDefault(); }
  });

  var start = document.getElementById("desk-list");
  var first = start && start.getAttribute("data-current") ? card(start.getAttribute("data-current")) : null;
  setCurrent(first || cards()[0] || null, Boolean(first));
  if (first) { openPanel(first); }
})();
