// Province → commune picker. Without this script the form still works: the learner presses
// "Hiện danh sách xã/phường" and the server re-renders the commune list for the province.
(function () {
  "use strict";
  var form = document.querySelector("[data-commune-picker]");
  if (!form || !window.fetch) { return; }
  var province = form.querySelector("select[name=province]");
  var commune = form.querySelector("select[name=commune]");
  if (!province || !commune) { return; }
  // The no-JavaScript fallback button is not needed, and as the form's first submit button it
  // would catch the Enter key meant for saving.
  var refresh = form.querySelector("[data-refresh-communes]");
  if (refresh) { refresh.parentNode.removeChild(refresh); }
  var placeholder = commune.getAttribute("data-placeholder") || "";

  function fill(communes) {
    commune.length = 0;
    commune.add(new Option(placeholder, ""));
    communes.forEach(function (c) { commune.add(new Option(c.name, String(c.code))); });
    commune.disabled = false;
  }

  province.addEventListener("change", function () {
    if (!province.value) { fill([]); return; }
    commune.disabled = true;
    fetch("/dia-ban/" + encodeURIComponent(province.value) + "/xa.json", { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) { fill(data.communes); })
      .catch(function () {
        // Keep the current list; the learner can still save or reload the page.
        commune.disabled = false;
      });
  });
})();
