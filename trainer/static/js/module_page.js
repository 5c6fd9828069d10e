// Tells the server when a trainee opens a module page, so the minimum reading time counts
// from the first view (the page's GET never writes). Sent once per page load.
(function () {
  "use strict";
  const form = document.querySelector("form[data-opened-url]");
  if (!form) return;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  fetch(form.dataset.openedUrl, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrf },
  }).catch(function () {
    // offline: the "studied" click records the first view instead
  });
})();
