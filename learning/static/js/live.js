// The live socket for signed-in learners: shows pushed notifications in an ARIA live region.
// It only ever adds to the page — everything it shows is also there on the next page load —
// so when WebSockets are blocked or the network drops, nothing breaks: it retries quietly,
// waiting longer each time (exponential backoff with jitter, at most a minute). When the server
// closes a live socket — a deploy closes every learner's at once — the first try waits a random
// time up to the page's data-reconnect-spread seconds, so the handshakes do not come as a storm.
// A socket is live once the server says hello. One it accepts and closes at once with 4503 (too
// busy: learning/handshakes.py) waits a random time within the spread, and longer each time it
// is turned away again, so a server still overloaded is not asked again and again.
(function () {
  "use strict";
  var region = document.getElementById("live-notifications");
  if (!region || !("WebSocket" in window)) { return; }
  var root = document.documentElement;
  var section = region.closest("[data-notifications-url]");
  var listUrl = section ? section.getAttribute("data-notifications-url") : "";
  var detailsLabel = section ? section.getAttribute("data-details-label") : "";
  var MAX_DELAY = 60000;
  var TRY_AGAIN_LATER = 4503;
  var SPREAD = 1000 * (parseFloat(section ? section.getAttribute("data-reconnect-spread") : "") || 0);
  // The course this page belongs to, so presence can count learners per course.
  var course = document.body.getAttribute("data-live-course");
  var courseQuery = course && /^[0-9]+$/.test(course) ? "?course=" + course : "";
  var failures = 0;
  var live = false;
  var timer = null;
  var socket = null;

  function setState(state) { root.setAttribute("data-live", state); }

  function connect() {
    timer = null;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    try {
      socket = new WebSocket(scheme + window.location.host + "/ws/live/" + courseQuery);
    } catch (error) {
      retry();
      return;
    }
    setState("connecting");
    socket.onmessage = function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (error) { return; }
      if (!message) { return; }
      if (message.type === "hello") { failures = 0; live = true; setState("open"); }
      if (message.type === "notification") { show(message); }
    };
    socket.onclose = function (event) {
      var dropped = live;
      live = false;
      setState("closed");
      socket = null;
      retry(dropped, event.code === TRY_AGAIN_LATER);
    };
  }

  function retry(dropped, turnedAway) {
    if (timer) { return; }
    var delay;
    if (dropped) {
      delay = Math.random() * SPREAD;
    } else {
      failures += 1;
      var ceiling = Math.min(MAX_DELAY, 1000 * Math.pow(2, failures));
      delay = turnedAway ? Math.random() * Math.max(SPREAD, ceiling) : ceiling / 2 + Math.random() * ceiling / 2;
    }
    timer = window.setTimeout(connect, delay);
  }

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;  // never innerHTML: the text is data, not markup
    if (className) { node.className = className; }
    return node;
  }

  function show(message) {
    var item = document.createElement("div");
    item.className = "notification notification--unread";
    var title = document.createElement("p");
    title.className = "notification__title";
    title.appendChild(text("strong", message.title || ""));
    item.appendChild(title);
    if (message.body) { item.appendChild(text("p", message.body)); }
    var actions = document.createElement("p");
    actions.className = "notification__actions";
    var link = document.createElement("a");
    var url = message.url && message.url.charAt(0) === "/" && message.url.charAt(1) !== "/" ? message.url : listUrl;
    link.href = url;
    link.textContent = detailsLabel;
    actions.appendChild(link);
    item.appendChild(actions);
    region.insertBefore(item, region.firstChild);
    var badge = document.querySelector("[data-unread-count]");
    if (badge) { badge.textContent = String((parseInt(badge.textContent, 10) || 0) + 1); }
  }

  // Back online: try at once instead of waiting out the backoff.
  window.addEventListener("online", function () {
    if (!socket) {
      if (timer) { window.clearTimeout(timer); timer = null; }
      connect();
    }
  });
  connect();
})();
