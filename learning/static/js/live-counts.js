// Officials' "learners online now" page: fetch the counts again every few seconds and replace
// the numbers. The server has already applied small-count suppression; text goes in as text.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-counts]");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-live-counts");
  var seconds = parseInt(root.getAttribute("data-poll-seconds"), 10) || 15;

  function rows(body, data) {
    if (!body) { return; }
    while (body.firstChild) { body.removeChild(body.firstChild); }
    data.forEach(function (pair) {
      var row = document.createElement("tr");
      var name = document.createElement("th");
      name.scope = "row";
      name.textContent = pair[0];
      var count = document.createElement("td");
      count.textContent = pair[1];
      row.appendChild(name);
      row.appendChild(count);
      body.appendChild(row);
    });
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        document.querySelector("[data-live=total]").textContent = data.total;
        document.querySelector("[data-live=at]").textContent = data.at;
        rows(document.querySelector("[data-live=provinces]"), data.provinces);
        rows(document.querySelector("[data-live=courses]"), data.courses);
      })
      .catch(function () { /* offline for a moment: the next round tries again */ });
  }
  window.setInterval(refresh, seconds * 1000);
})();
