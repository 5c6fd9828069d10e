// Quiz attempt: autosave (on change + periodic, with retry), visible saved state, countdown.
// The server owns the timer and the answers; this script only keeps them in sync.
(() => {
  const form = document.getElementById("attempt-form");
  if (!form) return;
  const status = document.getElementById("save-status");
  const countdown = document.getElementById("countdown");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const text = form.dataset;
  let dirty = false;
  let saving = null;
  let debounce = null;
  let retryDelay = 2000;
  let closed = false;

  const show = (message, cls, state) => {
    status.textContent = message;
    status.dataset.state = state;
    status.className = "small " + (cls || "text-muted");
  };

  const collect = () => {
    const answers = {};
    const slots = [];
    for (const [name, value] of new FormData(form).entries()) {
      if (name === "slot") slots.push(Number(value));
      else if (name.startsWith("q-")) (answers[name] = answers[name] || []).push(value);
    }
    return { answers, slots };
  };

  const save = async (keepalive = false) => {
    if (closed) return;
    if (saving) { dirty = true; return saving; }
    dirty = false;
    show(text.savingText, "text-muted", "saving");
    saving = fetch(form.dataset.saveUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(collect()),
      credentials: "same-origin",
      keepalive,
    }).then(async (response) => {
      const body = await response.json().catch(() => ({}));
      if (response.status === 409 && body.closed) {
        closed = true;
        show(text.closedText, "text-warning", "closed");
        window.location.assign(body.redirect);
        return;
      }
      if (response.status === 503) {
        // Busy: nothing was saved; wait at least as long as the server asks, then retry.
        retryDelay = Math.max(retryDelay, Number(response.headers.get("Retry-After") || 2) * 1000);
      }
      if (!response.ok) throw new Error(String(response.status));
      retryDelay = 2000;
      if (!dirty) show(text.savedText + " " + new Date().toLocaleTimeString(document.documentElement.lang || undefined, {hour12: false}), "text-success", "saved");
      form.dataset.savedAt = body.saved_at;
    }).catch(() => {
      dirty = true;
      show(text.offlineText, "text-danger", "offline");
      setTimeout(() => save(), retryDelay);
      retryDelay = Math.min(retryDelay * 2, 30000);
    }).finally(() => {
      saving = null;
      if (dirty && !closed) scheduleSave();
    });
    return saving;
  };

  const scheduleSave = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => save(), 800);
  };

  const changed = () => {
    dirty = true;
    show(text.unsavedText, "text-muted", "dirty");
    scheduleSave();
  };
  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  setInterval(() => { if (dirty && !saving) save(); }, 10000);
  // A trainee may think for a long time without changing an answer: a save every five
  // minutes is activity, so the session's idle timeout never ends an exam in progress.
  setInterval(() => { if (!saving) save(); }, 5 * 60 * 1000);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden" && dirty) save(true);
  });

  // On document, after app.js's confirm listener: a cancelled confirm leaves the page as it was.
  document.addEventListener("submit", (event) => {
    if (event.target !== form || event.defaultPrevented) return;
    closed = true;  // the submit carries every answer; no save may race it
    form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
  });

  if (countdown) {
    const deadline = Date.parse(countdown.dataset.deadline);
    const tick = () => {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      const minutes = String(Math.floor(left / 60)).padStart(2, "0");
      const seconds = String(left % 60).padStart(2, "0");
      countdown.textContent = `${minutes}:${seconds}`;
      if (left <= 60) countdown.classList.replace("text-bg-warning", "text-bg-danger");
      if (left === 0 && !closed) {
        closed = true;
        form.submit();  // the server accepts answers until the deadline plus a short grace
        return;
      }
      setTimeout(tick, 1000);
    };
    tick();
  }
})();
