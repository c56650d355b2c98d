/* The edition form: drag-and-drop (or ↑ ↓) ordering of picks, and a live preview of the editorial. */
"use strict";
(function () {
  function pickRows(tbody) {
    return Array.from(tbody.querySelectorAll("tr.form-row:not(.empty-form)"));
  }

  function isFilled(row) {
    // An untouched "add another" row must stay unchanged, or Django would validate it as a new pick.
    if (row.classList.contains("has_original")) return true;
    const headline = row.querySelector('input[name$="-headline"]');
    return Boolean(headline && headline.value.trim());
  }

  function renumber(tbody) {
    let position = 0;
    pickRows(tbody).forEach(function (row) {
      const input = row.querySelector("input.pick-position");
      if (input && isFilled(row)) input.value = String(++position);
    });
  }

  function move(row, offset) {
    const tbody = row.parentNode;
    const rows = pickRows(tbody);
    const target = rows[rows.indexOf(row) + offset];
    if (!target) return;
    tbody.insertBefore(row, offset < 0 ? target : target.nextSibling);
    renumber(tbody);
  }

  function addHandle(row) {
    if (row.querySelector(".pick-handle")) return;
    const cell = row.querySelector("td.original") || row.querySelector("td");
    if (!cell) return;
    const handle = document.createElement("span");
    handle.className = "pick-handle";
    handle.draggable = true;
    handle.title = "Drag to reorder";
    handle.textContent = "☰ ";
    [["↑", -1, "Move up"], ["↓", 1, "Move down"]].forEach(function (spec) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[0];
      button.setAttribute("aria-label", spec[2]);
      button.className = spec[1] < 0 ? "pick-up" : "pick-down";
      button.addEventListener("click", function () { move(row, spec[1]); });
      handle.appendChild(button);
    });
    cell.insertBefore(handle, cell.firstChild);
  }

  function makeSortable(tbody) {
    let dragged = null;
    pickRows(tbody).forEach(addHandle);
    tbody.addEventListener("dragstart", function (event) {
      if (!event.target.classList || !event.target.classList.contains("pick-handle")) return;
      dragged = event.target.closest("tr");
      dragged.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.id || "pick");
    });
    tbody.addEventListener("dragover", function (event) {
      if (!dragged) return;
      const row = event.target.closest("tr.form-row");
      if (!row || row === dragged || row.classList.contains("empty-form")) return;
      event.preventDefault();
      const box = row.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      tbody.insertBefore(dragged, after ? row.nextSibling : row);
    });
    tbody.addEventListener("drop", function (event) {
      if (dragged) event.preventDefault();
    });
    tbody.addEventListener("dragend", function () {
      if (!dragged) return;
      dragged.classList.remove("dragging");
      dragged = null;
      renumber(tbody);
    });
    tbody.addEventListener("input", function () { renumber(tbody); });
    renumber(tbody);
  }

  function livePreview(textarea) {
    const preview = document.createElement("div");
    preview.className = "editorial-preview";
    preview.setAttribute("aria-live", "polite");
    textarea.parentNode.appendChild(preview);
    const form = textarea.form;
    const token = form && form.querySelector('input[name="csrfmiddlewaretoken"]');
    let timer = null;
    function refresh() {
      const body = new FormData();
      body.append("text", textarea.value);
      fetch(textarea.dataset.previewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: token ? { "X-CSRFToken": token.value } : {},
      })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { preview.innerHTML = html; }) // the server sanitised it with nh3
        .catch(function () { preview.textContent = ""; });
    }
    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".sortable-picks tbody").forEach(makeSortable);
    document.querySelectorAll("textarea.editorial-source").forEach(livePreview);
  });
  document.addEventListener("formset:added", function (event) {
    const row = event.target;
    if (row && row.closest && row.closest(".sortable-picks")) {
      addHandle(row);
      renumber(row.parentNode);
    }
  });
})();
