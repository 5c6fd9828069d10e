// Internship sign-off form: one tap to tick every behaviour, and no second submit on a double
// tap (the server also keeps only one sign-off per form token).
document.addEventListener("click", (event) => {
  const button = event.target.closest(".js-check-all");
  if (!button) return;
  button.form.querySelectorAll("input[name=items]").forEach((box) => { box.checked = true; });
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches(".js-sign-off")) return;
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = "1";
  form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
});
