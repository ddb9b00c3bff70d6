// Peerbrief's idle sign-out, seen from the page: a warning two minutes before it, with a
// "Stay signed in" button (a same-origin POST that moves the server's idle clock on); and, after
// signing in again, the form a late save sent filled back in (app/drafts.py keeps it).
(function () {
  "use strict";

  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  var keepalive = body.getAttribute("data-keepalive");
  if (!idle || !keepalive) return;
  // Two minutes ahead, or halfway for a very short limit.
  var lead = Math.min(120, idle / 2);
  var warnTimer = null, endTimer = null, box = null;

  function token() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function notice() {
    if (box) return box;
    box = document.createElement("div");
    box.id = "idle-warning";
    box.className = "flash idle-warning";
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-live", "assertive");
    box.setAttribute("aria-labelledby", "idle-warning-text");
    var text = document.createElement("p");
    text.id = "idle-warning-text";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "primary";
    button.textContent = "Stay signed in";
    button.addEventListener("click", stay);
    box.appendChild(text);
    box.appendChild(button);
    var flash = document.getElementById("flash");
    (flash || body).appendChild(box);
    return box;
  }

  function say(message, offerStay) {
    var b = notice();
    b.querySelector("p").textContent = message;
    b.querySelector("button").hidden = !offerStay;
    b.hidden = false;
  }

  function warn() {
    var minutes = Math.round(lead / 60);
    var when = minutes >= 1 ? minutes + " minute" + (minutes > 1 ? "s" : "") : Math.round(lead) + " seconds";
    say("For your patients' privacy you will be signed out in " + when +
        " unless you go on working. Anything you have typed is kept either way.", true);
    var button = box.querySelector("button");
    if (button) button.focus();
  }

  function ended() {
    say("You were signed out after a period of inactivity. What you typed is still here: " +
        "save it, sign in again, and it comes back in the form.", false);
  }

  function restart() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    if (box) box.hidden = true;
    warnTimer = setTimeout(warn, (idle - lead) * 1000);
    endTimer = setTimeout(ended, idle * 1000);
  }

  function stay() {
    fetch(keepalive, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token() },
      redirect: "manual"
    }).then(function (response) {
      if (response.status === 204) restart();
      else ended();
    }, function () {
      say("No connection to Peerbrief: you may be signed out soon. Nothing you typed is lost.", true);
    });
  }

  // Any request of the page's own that the server counted as activity starts the clock again
  // (the live feed's polling does not: the server leaves X-Session-Seen off it).
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.getResponseHeader("X-Session-Seen")) restart();
  });

  // A form a late save sent, kept on the server through signing in again: fill it back in.
  function restore() {
    var kept = document.getElementById("restored-form");
    if (!kept) return;
    var action = kept.getAttribute("data-action");
    var fields = JSON.parse(kept.getAttribute("data-fields") || "[]");
    var form = Array.prototype.find.call(document.querySelectorAll("form"), function (f) {
      var target = f.getAttribute("action") || f.getAttribute("hx-post") || "";
      var url = new URL(target || location.href, location.href);
      return url.pathname + url.search === action;
    });
    if (!form) return;
    var values = {};
    fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.type === "file" || el.type === "password") return;
      var sent = values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = !!sent && sent.indexOf(el.value) >= 0;
      } else if (el.multiple && el.options) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = !!sent && sent.indexOf(o.value) >= 0; });
      } else if (sent && sent.length) {
        el.value = sent.shift();
      }
    });
    form.classList.add("restored");
    form.scrollIntoView({ block: "center" });
  }

  restore();
  restart();
})();
