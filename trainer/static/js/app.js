// App-wide behaviour, no inline scripts (the CSP forbids them).
document.addEventListener("change", (event) => {
  if (event.target.matches(".js-autosubmit")) event.target.form.submit();
});
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// Progress bars carry their width as data-progress (0–100); setting it through the CSSOM is
// allowed by the CSP, which forbids style attributes in the markup.
const showProgress = (root) => {
  root.querySelectorAll("[data-progress]").forEach((bar) => {
    const percent = Math.max(0, Math.min(100, Number(bar.dataset.progress) || 0));
    bar.style.width = percent + "%";
  });
};
showProgress(document);
