// tamga's own script: small enhancements only; every page works without it.
// An error summary takes the focus, so keyboard and screen-reader users land on it.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  // The Situation Center's live feed: Server-Sent Events refresh the marked regions.
  var live = document.querySelector("[data-live-url]");
  if (live && window.EventSource) {
    var source = new EventSource(live.getAttribute("data-live-url"));
    source.addEventListener("update", function () {
      if (window.htmx) { htmx.trigger(live, "refresh"); }
    });
  }
});
