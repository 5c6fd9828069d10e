// Role-play drill page: autosave the reply being typed, keep the newest line in view.
(() => {
  const form = document.querySelector(".js-drill-reply");
  const current = document.getElementById("current-turn") || document.querySelector("[data-testid=ending]");
  if (current && !window.location.hash) current.scrollIntoView({ block: "center" });
  if (!form) return;
  const textarea = form.querySelector("textarea");
  const status = form.querySelector(".js-draft-status");
  const token = document.querySelector("meta[name=csrf-token]").content;
  let timer = null;
  let lastSaved = textarea.value;
  const save = () => {
    if (textarea.value === lastSaved) return;
    const text = textarea.value;
    fetch(form.dataset.draftUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ text }),
      credentials: "same-origin",
    }).then((response) => {
      if (response.ok) { lastSaved = text; status.textContent = status.dataset.saved || "✓"; }
    }).catch(() => { status.textContent = ""; });
  };
  textarea.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(save, 800); });
  form.addEventListener("submit", () => {
    clearTimeout(timer);
    form.querySelector("button[type=submit]").disabled = true;  // one submit per reply
  });
  textarea.focus();
})();
