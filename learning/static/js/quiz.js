// Taking a quiz: save every answer the moment it is chosen, say so ("Đã lưu"), keep trying
// when the network drops (with a banner), count down the time, and move between questions on
// a phone without reloading. Without this script the form still works: every button posts it.
(function () {
  "use strict";
  var form = document.querySelector("[data-quiz]");
  if (!form || !window.fetch || !window.URLSearchParams) { return; }
  var banner = document.querySelector("[data-offline]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var text = {
    saved: form.getAttribute("data-saved-text"),
    saving: form.getAttribute("data-saving-text"),
    failed: form.getAttribute("data-failed-text"),
    retry: form.getAttribute("data-retry-text")
  };
  var MAX_DELAY = 30000;
  var pending = {};  // position -> true while a change waits to be saved

  function fieldsetOf(node) { return node.closest("fieldset[data-position]"); }
  function statusOf(fieldset) { return fieldset.querySelector("[data-status]"); }
  function revInput(fieldset) { return fieldset.querySelector("input[name^=rev]"); }

  function setStatus(fieldset, message, failed, withRetry) {
    var status = statusOf(fieldset);
    status.textContent = message;
    status.classList.toggle("is-failed", !!failed);
    if (withRetry) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link-button";
      button.textContent = text.retry;
      button.addEventListener("click", function () { save(fieldset, 0); });
      status.appendChild(document.createTextNode(" "));
      status.appendChild(button);
    }
  }

  function setOffline(offline) { if (banner) { banner.hidden = !offline; } }

  function body(fieldset) {
    var params = new URLSearchParams();
    params.append("csrfmiddlewaretoken", token);
    Array.prototype.forEach.call(fieldset.elements, function (el) {
      if (!el.name) { return; }
      if ((el.type === "radio" || el.type === "checkbox") && !el.checked) { return; }
      params.append(el.name, el.value);
    });
    return params;
  }

  function orderingIncomplete(fieldset) {
    if (fieldset.getAttribute("data-kind") !== "ordering") { return false; }
    var selects = fieldset.querySelectorAll("select");
    var filled = Array.prototype.filter.call(selects, function (s) { return s.value; }).length;
    return filled > 0 && filled < selects.length;
  }

  function markAnswered(position, answered) {
    var link = document.querySelector("[data-goto='" + position + "']");
    var index = document.querySelector(".question-index");
    if (link) {
      link.classList.toggle("is-answered", answered);
      var state = link.querySelector("[data-answer-state]");
      if (state && index) { state.textContent = index.getAttribute(answered ? "data-answered-text" : "data-unanswered-text"); }
    }
    var left = document.querySelectorAll("[data-goto]:not(.is-answered)").length;
    document.querySelectorAll("[data-unanswered]").forEach(function (node) { node.textContent = String(left); });
    var hint = document.querySelector("[data-unanswered-hint]");
    if (hint) { hint.hidden = left === 0; }
  }

  function applyServerAnswer(fieldset, positions) {
    var kind = fieldset.getAttribute("data-kind");
    var position = fieldset.getAttribute("data-position");
    if (kind === "ordering") {
      fieldset.querySelectorAll("select").forEach(function (select) { select.value = ""; });
      positions.forEach(function (shown, rank) {
        var select = fieldset.querySelector("select[name='q" + position + "-" + shown + "']");
        if (select) { select.value = String(rank + 1); }
      });
    } else {
      fieldset.querySelectorAll("input[name='q" + position + "']").forEach(function (input) {
        input.checked = positions.indexOf(parseInt(input.value, 10)) !== -1;
      });
    }
  }

  function save(fieldset, failures) {
    var position = fieldset.getAttribute("data-position");
    if (fieldset.getAttribute("data-busy")) { pending[position] = true; return; }
    pending[position] = false;
    fieldset.setAttribute("data-busy", "1");
    setStatus(fieldset, text.saving, false, false);
    fetch(fieldset.getAttribute("data-save-url"), {
      method: "POST",
      body: body(fieldset),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (reply) {
      fieldset.removeAttribute("data-busy");
      setOffline(false);
      var data = reply.data || {};
      if (reply.status === 200) {
        revInput(fieldset).value = data.revision;
        setStatus(fieldset, text.saved + (data.saved_at ? " (" + data.saved_at + ")" : ""), false, false);
        markAnswered(position, fieldset.querySelector("input:checked, select option:checked:not([value=''])") !== null);
      } else if (reply.status === 409) {
        revInput(fieldset).value = data.revision;
        applyServerAnswer(fieldset, data.positions || []);
        setStatus(fieldset, data.error, true, false);
        pending[position] = false;
      } else if (reply.status === 410 && data.result_url) {
        window.location.assign(data.result_url);
        return;
      } else if (reply.status >= 500) {
        throw new Error("server");
      } else {
        setStatus(fieldset, data.error || text.failed, true, false);
        pending[position] = false;
      }
      if (pending[position]) { save(fieldset, 0); }
    }).catch(function () {
      fieldset.removeAttribute("data-busy");
      if (!navigator.onLine) { setOffline(true); }
      setStatus(fieldset, text.failed, true, true);
      var delay = Math.min(MAX_DELAY, 1000 * Math.pow(2, failures + 1)) * (0.5 + Math.random() / 2);
      window.setTimeout(function () { save(fieldset, failures + 1); }, delay);
    });
  }

  form.addEventListener("change", function (event) {
    var fieldset = fieldsetOf(event.target);
    if (!fieldset) { return; }
    if (orderingIncomplete(fieldset)) { return; }
    save(fieldset, 0);
  });

  window.addEventListener("offline", function () { setOffline(true); });
  window.addEventListener("online", function () {
    setOffline(false);
    form.querySelectorAll("fieldset[data-position]").forEach(function (fieldset) {
      if (statusOf(fieldset).classList.contains("is-failed")) { save(fieldset, 0); }
    });
  });

  // One question at a time on a phone: switch without a reload (answers are already saved).
  var narrow = window.matchMedia("(max-width: 47.99em)");
  function show(position) {
    var target = document.getElementById("cau-" + position);
    if (!target) { return false; }
    form.querySelectorAll("fieldset.is-current").forEach(function (f) { f.classList.remove("is-current"); });
    target.classList.add("is-current");
    document.querySelectorAll("[data-goto]").forEach(function (link) {
      if (link.getAttribute("data-goto") === String(position)) { link.setAttribute("aria-current", "step"); }
      else { link.removeAttribute("aria-current"); }
    });
    window.history.replaceState(null, "", "?cau=" + position + "#cau-" + position);
    target.querySelector("legend").focus();
    return true;
  }
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[name=go]");
    if (button && narrow.matches && show(button.value)) { event.preventDefault(); }
  });
  document.querySelectorAll("[data-goto]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (narrow.matches && show(link.getAttribute("data-goto"))) { event.preventDefault(); }
    });
  });

  // The time left, counted against the server's clock; the server decides what is late.
  var timer = document.querySelector("[data-deadline]");
  if (timer) {
    var deadline = Date.parse(timer.getAttribute("data-deadline"));
    var offset = Date.parse(timer.getAttribute("data-now")) - Date.now();
    var remaining = timer.querySelector("[data-remaining]");
    var warned = false;
    var tick = function () {
      var left = deadline - (Date.now() + offset);
      if (left <= 0) {
        // The server still takes answers in flight for a few seconds, then finishes the attempt.
        remaining.textContent = timer.getAttribute("data-over-text");
        window.setTimeout(function () { window.location.reload(); }, left + 17000);
        return;
      }
      var minutes = Math.ceil(left / 60000);
      remaining.textContent = timer.getAttribute("data-left-text").replace("%s", String(minutes));
      if (left <= 120000 && !warned) {
        warned = true;
        timer.classList.add("is-urgent");
        var alert = document.createElement("p");
        alert.setAttribute("role", "alert");
        alert.className = "callout callout--warning";
        alert.textContent = timer.getAttribute("data-warning-text");
        timer.parentNode.insertBefore(alert, timer.nextSibling);
      }
      window.setTimeout(tick, left <= 120000 ? 1000 : 15000);
    };
    tick();
  }
})();
