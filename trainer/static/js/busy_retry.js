// The "server busy" page (HTTP 503): send the same request again once Retry-After has passed.
// The server wrote nothing, so sending again is safe; after a few tries the page stops and
// offers the button instead.
(function () {
  "use strict";
  const form = document.querySelector("form[data-busy-retry]");
  if (!form) {
    return;
  }
  const seconds = Number(form.dataset.retryAfter || "2");
  window.setTimeout(function () {
    form.submit();
  }, Math.max(seconds, 1) * 1000);
})();
