/* Peyvand web UI behaviour. Loaded with `defer`; no inline scripts anywhere (strict CSP). */
(function () {
  "use strict";

  var body = document.body;
  var language = document.documentElement.lang || "fa";

  function isTyping(element) {
    return !!(element && element.closest && element.closest("input, textarea, select, [contenteditable]"));
  }

  /* ---- Global search: "/" focuses it; arrows move through the results; Esc closes. ---- */
  var searchBox = document.getElementById("global-search");
  var searchResults = document.getElementById("global-search-results");

  function resultLinks() {
    return searchResults ? Array.prototype.slice.call(searchResults.querySelectorAll(".search-result")) : [];
  }

  function closeResults() {
    if (searchResults) {
      searchResults.innerHTML = "";
    }
  }

  if (searchBox && searchResults) {
    searchBox.addEventListener("keydown", function (event) {
      var links = resultLinks();
      if (event.key === "ArrowDown" && links.length) {
        event.preventDefault();
        links[0].focus();
      } else if (event.key === "Escape") {
        searchBox.value = "";
        closeResults();
      }
    });
    searchResults.addEventListener("keydown", function (event) {
      var links = resultLinks();
      var index = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (index < links.length - 1) links[index + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (index > 0) links[index - 1].focus();
        else searchBox.focus();
      } else if (event.key === "Escape") {
        event.preventDefault();
        closeResults();
        searchBox.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest(".global-search")) closeResults();
    });
  }

  /* ---- Lists: j / k move the selection, Enter opens it. ---- */
  var selected = -1;

  function listRows() {
    var region = document.querySelector("[data-keynav]");
    return region ? Array.prototype.slice.call(region.querySelectorAll(".record-row")) : [];
  }

  function select(index) {
    var rows = listRows();
    if (!rows.length) return;
    index = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row) {
      row.classList.remove("is-selected");
      row.removeAttribute("aria-selected");
    });
    var row = rows[index];
    row.classList.add("is-selected");
    row.setAttribute("aria-selected", "true");
    row.scrollIntoView({ block: "nearest" });
    var link = row.querySelector(".record-link");
    if (link) link.focus({ preventScroll: true });
    selected = index;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "/" && !isTyping(event.target)) {
      if (searchBox) {
        event.preventDefault();
        searchBox.focus();
        searchBox.select();
      }
      return;
    }
    if (isTyping(event.target)) return;
    if (event.key === "j") {
      select(selected + 1);
    } else if (event.key === "k") {
      select(selected - 1);
    } else if (event.key === "Enter" && selected >= 0) {
      var rows = listRows();
      var row = rows[selected];
      if (row && row.dataset.href && document.activeElement === body) {
        window.location.assign(row.dataset.href);
      }
    }
  });

  document.addEventListener("click", function (event) {
    var row = event.target.closest(".record-row");
    if (row && row.dataset.href && !event.target.closest("a, button, input, select")) {
      window.location.assign(row.dataset.href);
    }
  });

  /* ---- htmx: tidy pushed URLs, mark fields after inline validation, reset selection. ---- */
  body.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") return;
    var parameters = event.detail.parameters;
    var names = [];
    if (parameters && typeof parameters.keys === "function") {
      names = Array.from(parameters.keys());
    } else if (parameters) {
      names = Object.keys(parameters);
    }
    names.forEach(function (name) {
      var value = parameters[name];
      if (value === "") {
        delete parameters[name];
      }
    });
  });

  body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.classList.contains("field-feedback")) {
      var control = document.getElementById(target.id.replace(/_feedback$/, ""));
      if (control) {
        var invalid = !!target.querySelector("[data-invalid]");
        control.classList.toggle("is-invalid", invalid);
        control.setAttribute("aria-invalid", invalid ? "true" : "false");
      }
    }
    if (target && target.hasAttribute("data-keynav")) {
      selected = -1;
    }
  });

  /* ---- Duplicate hints: "Fill in" copies a suggested value into the form (not saved). ---- */
  function fillField(button) {
    var form = button.closest("form");
    var field = form ? form.elements.namedItem(button.dataset.fillName) : null;
    if (!field || (field.length > 1 && !field.tagName)) return null;
    return field;
  }

  function canFill(field, value) {
    if (field.tagName !== "SELECT") return true;
    return Array.prototype.some.call(field.options, function (option) { return option.value === value; });
  }

  body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || target.id !== "duplicate-hints") return;
    Array.prototype.forEach.call(target.querySelectorAll("[data-fill-name]"), function (button) {
      var field = fillField(button);
      button.hidden = !field || !canFill(field, button.dataset.fillValue);
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-fill-name]");
    if (!button) return;
    var field = fillField(button);
    var value = button.dataset.fillValue;
    if (!field || !canFill(field, value)) return;
    if (button.dataset.fillMode === "line") {
      var lines = field.value.split(/\r?\n/).map(function (line) { return line.trim(); }).filter(Boolean);
      if (lines.indexOf(value) === -1) lines.push(value);
      field.value = lines.join("\n");
    } else {
      field.value = value;
    }
    button.disabled = true;
    field.dispatchEvent(new Event("change", { bubbles: true }));
    field.focus();
  });

  /* ---- Copy buttons (API token). ---- */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) return;
    source.select();
    if (navigator.clipboard) {
      navigator.clipboard.writeText(source.value);
    }
  });

  /* ---- Focus the first problem after a failed save. ---- */
  var problem = document.getElementById("conflict") || document.getElementById("form-errors");
  if (problem) problem.focus();

  /* ---- Jalali date picker for users on the Jalali calendar (inputs carry data-jdp). ---- */
  if (window.jalaliDatepicker && body.dataset.calendar === "jalali") {
    window.jalaliDatepicker.startWatch({
      persianDigits: language === "fa",
      maxDate: "attr",
      autoShow: true,
      autoHide: true,
      hideAfterChange: true,
      showTodayBtn: true,
      showEmptyBtn: true,
      zIndex: 2000
    });
  }

  /* ---- "Export this view": carry the list's current filters (the URL htmx pushed). ---- */
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-export]");
    if (!link) return;
    var params = new URLSearchParams(window.location.search);
    params.delete("cursor");
    params.set("format", link.dataset.export);
    if (link.dataset.layout) params.set("layout", link.dataset.layout);
    link.href = link.dataset.base + "?" + params.toString();
  });
  /* ---- Repeated form rows (addresses, organisations): "Add" clones the row template with
     the next number, "Remove" takes the row out; empty rows are ignored on save. ---- */
  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    if (add) {
      var list = document.getElementById(add.dataset.addRow);
      var template = document.getElementById(add.dataset.addRow + "-template");
      if (!list || !template) return;
      var index = Number(list.dataset.next || list.children.length);
      list.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__index__/g, String(index)));
      list.dataset.next = String(index + 1);
      var row = list.lastElementChild;
      var first = row && row.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
      return;
    }
    var remove = event.target.closest("[data-remove-row]");
    if (remove) {
      var removed = remove.closest("[data-row]");
      var next = removed && (removed.nextElementSibling || removed.previousElementSibling);
      if (removed) removed.remove();
      var focus = next && next.querySelector("input:not([type=hidden]), select, textarea");
      if (focus) focus.focus();
    }
  });
})();
