// The reader view's toggle: show or fold every code cell of a notebook page.
(function () {
  var button = document.querySelector(".nk-code-toggle");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-pressed") !== "true";
    document.querySelectorAll("details.nk-code").forEach(function (d) { d.open = open; });
    button.setAttribute("aria-pressed", open ? "true" : "false");
    button.textContent = open ? "Fold the code" : "Show the code";
  });
})();
