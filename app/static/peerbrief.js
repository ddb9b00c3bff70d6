// Peerbrief's glue for htmx: CSRF on every request, errors shown, focus kept, passages picked.
(function () {
  "use strict";

  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) event.detail.headers["X-CSRFToken"] = meta.content;
  });

  // A refused request (403, 404, expired form, server error) says so instead of failing silently.
  document.addEventListener("htmx:responseError", function (event) {
    var flash = document.getElementById("flash");
    var xhr = event.detail.xhr;
    if (!flash) return;
    var box = document.createElement("div");
    box.className = "flash error";
    box.setAttribute("role", "alert");
    var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    var text = doc.querySelector(".problem p");
    box.textContent = text ? text.textContent : "The server could not do that (" + xhr.status + ").";
    flash.replaceChildren(box);
  });
  document.addEventListener("htmx:sendError", function () {
    var flash = document.getElementById("flash");
    if (flash) {
      flash.innerHTML = "";
      var box = document.createElement("p");
      box.className = "flash error";
      box.setAttribute("role", "alert");
      box.textContent = "No connection to Peerbrief: nothing was saved. Try again when you are back online.";
      flash.appendChild(box);
    }
  });

  // Keyboard users keep their place after a swap.
  document.addEventListener("htmx:afterSettle", function (event) {
    var elt = event.detail.requestConfig && event.detail.requestConfig.elt;
    var wanted = elt && elt.getAttribute && elt.getAttribute("data-refocus");
    var target = wanted && document.getElementById(wanted);
    if (target && !target.disabled) { target.focus(); return; }
    // An outerHTML swap leaves the old element in detail.target: find its replacement by id.
    var swapped = event.detail.target;
    if (swapped && swapped.id && !swapped.isConnected) swapped = document.getElementById(swapped.id);
    if (!swapped || !swapped.querySelector) return;
    var invalid = swapped.querySelector("[aria-invalid=true]");
    if (invalid) { invalid.focus(); return; }
    if (swapped.classList && swapped.classList.contains("editing")) {
      var first = swapped.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    } else if (swapped.classList && swapped.classList.contains("fact")) {
      var edit = swapped.querySelector("button");
      if (edit && elt && elt.closest && !elt.isConnected) edit.focus();
    }
  });

  // Selecting a passage of a source document arms its "make fact" form with the offsets.
  function armPassage(area) {
    var form = document.getElementById(area.getAttribute("data-passage-form"));
    if (!form) return;
    var start = area.selectionStart, end = area.selectionEnd;
    var chosen = end > start && area.value.slice(start, end).trim() !== "";
    form.querySelector('[name=source_start]').value = chosen ? start : "";
    form.querySelector('[name=source_end]').value = chosen ? end : "";
    form.querySelector("button").disabled = !chosen;
    form.querySelector("[data-passage-status]").textContent = chosen
      ? (end - start) + " characters selected." : "Select text in the note first.";
  }
  ["select", "keyup", "mouseup"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (event.target.matches && event.target.matches("textarea[data-passage-form]")) {
        armPassage(event.target);
      }
    });
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "new-fact") {
      var form = document.getElementById("new-fact");
      if (form && form.querySelector("[name=source_id]")) {
        form.scrollIntoView({ block: "center" });
        var first = form.querySelector("textarea, input:not([type=hidden])");
        if (first) first.focus();
      }
    }
  });
  // A conference's presentation: ← and → move between cases, as in a slide deck. Only on
  // that page, and never while typing or with a modifier (Alt+← is the browser's Back).
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var rel = { ArrowLeft: "prev", ArrowRight: "next" }[event.key];
    var deck = rel && document.querySelector("[data-present]");
    var t = event.target;
    if (!deck || (t && (t.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName)))) return;
    var link = deck.querySelector('a[rel="' + rel + '"]');
    if (link) { event.preventDefault(); link.click(); }
  });
})();
