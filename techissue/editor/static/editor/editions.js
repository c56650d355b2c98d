/* The compose page: preview toggles, pick order by drag or keys, image upload by file, drop or paste, and a
   local copy of the editorial so that a crashed tab loses nothing. No inline code, no eval (CSP). */
(function () {
  "use strict";
  var root = document.querySelector(".compose");
  if (!root) { return; }

  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }
  function toast(text) { if (window.techissueToast) { window.techissueToast(text); } }

  // --- the preview: the real email or web page in an iframe, reloaded after every save ---------------------
  var frame = document.getElementById("preview");
  var format = "email";
  var reloadTimer = null;
  function reloadPreview() {
    if (!frame) { return; }
    window.clearTimeout(reloadTimer);
    reloadTimer = window.setTimeout(function () {
      frame.src = root.getAttribute("data-preview-url") + "?format=" + format + "&t=" + Date.now();
    }, 150);
  }
  document.querySelectorAll("[data-preview-format]").forEach(function (button) {
    button.addEventListener("click", function () {
      format = button.getAttribute("data-preview-format");
      document.querySelectorAll("[data-preview-format]").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
      reloadPreview();
    });
  });
  document.querySelectorAll("[data-preview-width]").forEach(function (button) {
    button.addEventListener("click", function () {
      var phone = button.getAttribute("data-preview-width") === "phone";
      frame.parentElement.classList.toggle("phone", phone);
      document.querySelectorAll("[data-preview-width]").forEach(function (b) { b.setAttribute("aria-pressed", String(b === button)); });
    });
  });
  // A send that ended (done or cancelled) changes the whole page: its state, its actions.
  document.body.addEventListener("edition:send-ended", function () { window.location.reload(); });
  var heading = document.querySelector(".compose-head h1");
  var titleInput = document.querySelector("#edition-fields input[name=title]");
  document.body.addEventListener("edition:saved", function () {
    if (heading && titleInput && titleInput.value.trim()) {
      heading.textContent = heading.textContent.split(" ")[0] + " " + titleInput.value.trim();
    }
    reloadPreview();
    if (editorial) { window.localStorage.removeItem(storageKey); }
  });

  // --- picks: drag and drop, or the handle's arrow keys; the order is saved at once ------------------------
  var list = document.getElementById("picks");
  function saveOrder() {
    var body = new URLSearchParams();
    list.querySelectorAll("li.pick").forEach(function (li) { body.append("pick", li.getAttribute("data-pick")); });
    fetch(list.getAttribute("data-order-url"), {
      method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": csrf(), "HX-Request": "true"}
    }).then(function (response) {
      if (!response.ok) { toast(document.body.getAttribute("data-error-words") || "Error"); return; }
      reloadPreview();
    }).catch(function () { toast(document.body.getAttribute("data-offline-words") || "Offline"); });
  }
  if (list) {
    var dragged = null;
    list.addEventListener("dragstart", function (event) {
      dragged = event.target.closest("li.pick");
      if (dragged) { dragged.classList.add("dragging"); event.dataTransfer.effectAllowed = "move"; event.dataTransfer.setData("text/plain", ""); }
    });
    list.addEventListener("dragover", function (event) {
      if (!dragged) { return; }
      event.preventDefault();
      var over = event.target.closest("li.pick");
      if (!over || over === dragged) { return; }
      var box = over.getBoundingClientRect();
      list.insertBefore(dragged, event.clientY < box.top + box.height / 2 ? over : over.nextSibling);
    });
    list.addEventListener("dragend", function () {
      if (dragged) { dragged.classList.remove("dragging"); dragged = null; saveOrder(); }
    });
    list.addEventListener("keydown", function (event) {
      var handle = event.target.closest(".pick-handle");
      if (!handle || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) { return; }
      event.preventDefault();
      var li = handle.closest("li.pick");
      var other = event.key === "ArrowUp" ? li.previousElementSibling : li.nextElementSibling;
      if (!other) { return; }
      list.insertBefore(li, event.key === "ArrowUp" ? other : other.nextSibling);
      handle.focus();
      saveOrder();
    });
  }

  // --- the editorial: a local copy until the server has it -------------------------------------------------
  var editorial = document.getElementById("editorial");
  var storageKey = editorial ? editorial.getAttribute("data-autosave-key") : "";
  if (editorial) {
    var kept = window.localStorage.getItem(storageKey);
    if (kept !== null && kept !== editorial.value) {
      editorial.value = kept;  // the tab closed before its last change reached the server: send it now
      editorial.dispatchEvent(new Event("change", {bubbles: true}));
      toast(editorial.getAttribute("data-restored-words") || "");
    }
    editorial.addEventListener("input", function () { window.localStorage.setItem(storageKey, editorial.value); });
  }

  // --- images: choose, drop or paste; alt text is required before the upload goes ---------------------------
  var form = document.getElementById("image-upload");
  var fileInput = document.getElementById("image-file");
  var altInput = document.getElementById("image-alt");
  var state = document.getElementById("image-state");
  function say(text, bad) { if (state) { state.textContent = text; state.className = "image-state small " + (bad ? "bad" : "ok"); } }
  function insertAtCursor(text) {
    var start = editorial.selectionStart, end = editorial.selectionEnd, value = editorial.value;
    var before = value.slice(0, start), after = value.slice(end);
    var block = (before && !/\n\n$/.test(before) ? (before.slice(-1) === "\n" ? "\n" : "\n\n") : "") + text + "\n\n";
    editorial.value = before + block + after;
    editorial.selectionStart = editorial.selectionEnd = (before + block).length;
    window.localStorage.setItem(storageKey, editorial.value);
    editorial.dispatchEvent(new Event("change", {bubbles: true}));
  }
  function upload() {
    if (!fileInput.files.length) { say(form.getAttribute("data-no-file-words"), true); fileInput.focus(); return; }
    if (!altInput.value.trim()) { say(form.getAttribute("data-need-alt-words"), true); altInput.focus(); return; }
    say(form.getAttribute("data-uploading-words"), false);
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin", headers: {"X-CSRFToken": csrf()}})
      .then(function (response) { return response.json().then(function (data) { return {ok: response.ok, data: data}; }); })
      .then(function (result) {
        if (!result.ok) { say(result.data.error, true); return; }
        insertAtCursor(result.data.markdown);
        say(result.data.message, false);
        form.reset();
      })
      .catch(function () { say(document.body.getAttribute("data-offline-words") || "Offline", true); });
  }
  function take(files) {
    var image = files && files.length ? files[0] : null;
    if (!image) { return false; }
    var transfer = new DataTransfer();
    transfer.items.add(image);
    fileInput.files = transfer.files;
    if (altInput.value.trim()) { upload(); } else { say(form.getAttribute("data-need-alt-words"), true); altInput.focus(); }
    return true;
  }
  if (form) {
    form.addEventListener("submit", function (event) { event.preventDefault(); upload(); });
    [document.getElementById("dropzone"), editorial].forEach(function (zone) {
      if (!zone) { return; }
      zone.addEventListener("dragover", function (event) {
        if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1) { event.preventDefault(); zone.classList.add("over"); }
      });
      zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
      zone.addEventListener("drop", function (event) {
        zone.classList.remove("over");
        if (event.dataTransfer && event.dataTransfer.files.length) { event.preventDefault(); take(event.dataTransfer.files); }
      });
    });
    editorial.addEventListener("paste", function (event) {
      var files = event.clipboardData ? event.clipboardData.files : null;
      if (files && files.length && take(files)) { event.preventDefault(); }
    });
  }

  // --- cancelling asks first --------------------------------------------------------------------------------
  document.querySelectorAll("form.confirm-cancel").forEach(function (f) {
    f.addEventListener("submit", function (event) { if (!window.confirm(f.getAttribute("data-confirm"))) { event.preventDefault(); } });
  });
})();
