// Quiz attempt: pages, the navigation panel, review flags, autosave (one request at a time,
// changes coalesced, kept in localStorage while the connection is down), the countdown with
// screen-reader announcements, and a larger-text mode. The server owns the timer and the
// answers; this script only keeps them in sync. The summary page uses the countdown only.
(() => {
  const lang = document.documentElement.lang || undefined;
  const clockTime = () => new Date().toLocaleTimeString(lang, { hour12: false });

  // ---- countdown (attempt and summary pages) ----------------------------------------------
  const startCountdown = (onTimeUp, texts) => {
    const countdown = document.getElementById("countdown");
    if (!countdown) return;
    const announcer = document.getElementById("timer-announcer");
    const deadline = Date.parse(countdown.dataset.deadline);
    let previous = null;
    const tick = () => {
      const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      const minutes = String(Math.floor(left / 60)).padStart(2, "0");
      const seconds = String(left % 60).padStart(2, "0");
      countdown.textContent = `${minutes}:${seconds}`;
      if (left <= 60) countdown.classList.replace("text-bg-warning", "text-bg-danger");
      // Announce only when crossing a mark, never on load: a reload at 8 minutes says nothing.
      if (announcer && previous !== null) {
        if (previous > 600 && left <= 600) announcer.textContent = texts.tenMinutesText;
        if (previous > 60 && left <= 60) announcer.textContent = texts.oneMinuteText;
      }
      previous = left;
      if (left === 0) { onTimeUp(); return; }
      setTimeout(tick, 1000);
    };
    tick();
  };

  const form = document.getElementById("attempt-form");
  if (!form) {
    const summary = document.getElementById("summary-form");
    if (summary) startCountdown(() => summary.submit(), summary.dataset);
    return;
  }

  const status = document.getElementById("save-status");
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const text = form.dataset;
  const storeKey = `quiz-attempt-${text.attempt}`;
  const nav = document.getElementById("quiz-nav");
  const pages = Number(text.pages);
  let page = Number(text.page);
  let dirty = false;
  let saving = null;
  let debounce = null;
  let retryTimer = null;
  let retryDelay = 2000;
  let closed = false;
  let timeUp = false;

  const show = (message, cls, state) => {
    status.textContent = message;
    status.dataset.state = state;
    status.className = "small save-status " + (cls || "text-muted");
  };

  // ---- what the form holds --------------------------------------------------------------
  const collect = () => {
    const answers = {};
    const slots = [];
    const flags = {};
    for (const [name, value] of new FormData(form).entries()) {
      if (name === "slot") slots.push(Number(value));
      else if (name.startsWith("q-")) (answers[name] = answers[name] || []).push(value);
    }
    form.querySelectorAll('input[name="flagged"]').forEach((box) => { flags[box.value] = box.checked; });
    return { answers, slots, flags };
  };

  const isAnswered = (fieldset) => Array.from(fieldset.querySelectorAll("input, select, textarea")).some((el) => {
    if (!el.name || !el.name.startsWith("q-")) return false;
    if (el.type === "radio" || el.type === "checkbox") return el.checked;
    return el.value.trim() !== "";
  });

  // ---- the offline queue: the newest snapshot only, so it never multiplies requests ----------
  const queue = {
    put(payload) {
      try { localStorage.setItem(storeKey, JSON.stringify({ base: text.savedAt || "", payload })); } catch (e) { /* private mode: memory only */ }
    },
    clear() { try { localStorage.removeItem(storeKey); } catch (e) { /* ignore */ } },
    read() { try { return JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { return null; } },
  };

  const sameInstant = (a, b) => (!a && !b) || (a && b && Date.parse(a) === Date.parse(b));

  // Answers queued on this device before a reload are put back only if nobody saved since
  // (another device's newer answers win).
  const restoreQueued = () => {
    const stored = queue.read();
    if (!stored || !stored.payload) return false;
    if (!sameInstant(stored.base, text.savedAt)) { queue.clear(); return false; }
    const { answers, flags } = stored.payload;
    form.querySelectorAll("input, select, textarea").forEach((el) => {
      if (el.name === "flagged") { if (flags && el.value in flags) el.checked = !!flags[el.value]; return; }
      if (!el.name || !el.name.startsWith("q-")) return;
      const values = answers[el.name] || [];
      if (el.type === "radio" || el.type === "checkbox") el.checked = values.includes(el.value);
      else if (el.tagName === "SELECT" && el.multiple) Array.from(el.options).forEach((o) => { o.selected = values.includes(o.value); });
      else el.value = values[0] ?? "";
    });
    return true;
  };

  // ---- saving ----------------------------------------------------------------------------
  const scheduleRetry = () => {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(() => save(), retryDelay);
    retryDelay = Math.min(retryDelay * 2, 30000);
  };

  // One request at a time; changes during a request are sent by the next one (coalesced).
  // Resolves true when everything the form holds reached the server.
  const save = async (keepalive = false) => {
    if (closed) return false;
    if (saving) return saving.then(() => !dirty);  // changes made meanwhile set dirty
    clearTimeout(debounce);
    clearTimeout(retryTimer);
    dirty = false;
    const payload = collect();
    show(text.savingText, "text-muted", "saving");
    saving = fetch(text.saveUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(payload),
      credentials: "same-origin",
      keepalive,
    }).then(async (response) => {
      const body = await response.json().catch(() => ({}));
      if (response.status === 409 && body.closed) {
        closed = true;
        queue.clear();  // the server decided: the attempt is closed with what it had
        show(text.closedText, "text-warning", "closed");
        window.location.assign(body.redirect);
        return false;
      }
      if (response.status === 503) {
        // Busy: nothing was saved; wait at least as long as the server asks, then retry.
        retryDelay = Math.max(retryDelay, Number(response.headers.get("Retry-After") || 2) * 1000);
      }
      if (!response.ok) throw new Error(String(response.status));
      retryDelay = 2000;
      text.savedAt = body.saved_at;
      if (!dirty) {
        queue.clear();
        show(text.savedText + " " + clockTime(), "text-success", "saved");
      } else {
        queue.put(collect());
      }
      return !dirty;
    }).catch(() => {
      dirty = true;
      show(timeUp ? text.timeUpOfflineText : text.offlineText + " · " + clockTime(), "text-danger", "offline");
      scheduleRetry();
      return false;
    }).finally(() => {
      saving = null;
      if (dirty && !closed && status.dataset.state !== "offline") scheduleSave();
    });
    const done = await saving;
    if (done && timeUp) finishAfterTimeUp();
    return done;
  };

  const scheduleSave = () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => save(), 800);
  };

  // Everything on the server before leaving the page; false while the connection is down.
  const flush = async () => {
    for (let tries = 0; tries < 5 && !closed; tries += 1) {
      if (saving) await saving;
      if (await save()) return true;
      if (status.dataset.state === "offline") return false;
    }
    return false;
  };

  // ---- the navigation panel ---------------------------------------------------------------
  const navButtons = nav ? Array.from(nav.querySelectorAll(".qnav-btn")) : [];
  const navText = nav ? nav.dataset : {};
  const refreshNav = () => {
    navButtons.forEach((button) => {
      const fieldset = document.getElementById(`question-${button.dataset.slot}`);
      const answered = isAnswered(fieldset);
      const flagged = fieldset.querySelector('input[name="flagged"]').checked;
      const current = Number(button.dataset.page) === page;
      button.classList.toggle("answered", answered);
      button.classList.toggle("flagged", flagged);
      button.classList.toggle("current", current);
      if (current) button.setAttribute("aria-current", "true"); else button.removeAttribute("aria-current");
      const label = [navText.questionText.replace("{n}", button.dataset.number),
        answered ? navText.answeredText : navText.unansweredText];
      if (flagged) label.push(navText.flaggedText);
      if (current) label.push(navText.currentText);
      button.setAttribute("aria-label", label.join(", "));
      button.title = label.join(", ");
    });
  };

  const pageUrl = (n) => {
    const url = new URL(window.location.href);
    url.searchParams.set("page", n);
    url.hash = "";
    return url;
  };

  const showPage = (n, focusSlot = null) => {
    n = Math.min(Math.max(n, 1), pages);
    if (n !== page) {
      if (dirty) save();  // autosave on page change
      form.querySelectorAll(".quiz-page").forEach((section) => { section.hidden = Number(section.dataset.page) !== n; });
      page = n;
      const previous = document.getElementById("previous-page");
      const next = document.getElementById("next-page");
      previous.hidden = n === 1;
      next.hidden = n === pages;
      previous.href = pageUrl(n - 1).pathname + pageUrl(n - 1).search;
      next.href = pageUrl(n + 1).pathname + pageUrl(n + 1).search;
      document.getElementById("page-indicator").textContent = text.pageText.replace("{n}", n);
      history.replaceState(null, "", pageUrl(n));
      refreshNav();
    }
    const target = focusSlot !== null
      ? document.getElementById(`question-${focusSlot}`)
      : form.querySelector(`.quiz-page[data-page="${n}"] .question`);
    if (target) {
      target.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    }
  };

  // `then` runs once the drawer (phones) has closed: Bootstrap gives the focus back to the
  // button that opened it on "hidden", so a question focused before that would lose it.
  const closeDrawer = (then = () => {}) => {
    if (nav && nav.classList.contains("show") && window.bootstrap) {
      nav.addEventListener("hidden.bs.offcanvas", then, { once: true });
      window.bootstrap.Offcanvas.getOrCreateInstance(nav).hide();
    } else then();
  };

  navButtons.forEach((button, index) => {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      closeDrawer(() => showPage(Number(button.dataset.page), button.dataset.slot));
    });
    button.addEventListener("keydown", (event) => {
      const moves = { ArrowRight: index + 1, ArrowDown: index + 1, ArrowLeft: index - 1, ArrowUp: index - 1, Home: 0, End: navButtons.length - 1 };
      if (!(event.key in moves)) return;
      event.preventDefault();
      navButtons[Math.min(Math.max(moves[event.key], 0), navButtons.length - 1)].focus();
    });
  });

  // Previous / next page and "finish attempt": save first, then move.
  document.addEventListener("click", async (event) => {
    const link = event.target.closest("[data-go]");
    if (!link) return;
    event.preventDefault();
    if (link.dataset.go === "previous") showPage(page - 1);
    else if (link.dataset.go === "next") showPage(page + 1);
    else if (link.dataset.go === "summary") {
      closeDrawer();
      if (await flush()) window.location.assign(link.href);
    }
  });

  // Alt+Page Down / Alt+Page Up: next / previous question, across pages.
  const questions = Array.from(form.querySelectorAll(".question"));
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || (event.key !== "PageDown" && event.key !== "PageUp")) return;
    event.preventDefault();
    const here = questions.findIndex((q) => q.contains(document.activeElement));
    const visible = questions.findIndex((q) => !q.closest(".quiz-page").hidden);
    const from = here >= 0 ? here : visible;
    const to = Math.min(Math.max(from + (event.key === "PageDown" ? 1 : -1), 0), questions.length - 1);
    const target = questions[to];
    showPage(Number(target.closest(".quiz-page").dataset.page), target.dataset.slot);
  });

  // ---- larger text --------------------------------------------------------------------------
  const largeToggle = document.getElementById("large-text-toggle");
  const setLarge = (on) => {
    document.body.classList.toggle("quiz-large-text", on);
    largeToggle.setAttribute("aria-pressed", String(on));
    largeToggle.classList.toggle("active", on);
    try { localStorage.setItem("quiz-large-text", on ? "1" : "0"); } catch (e) { /* ignore */ }
  };
  largeToggle.addEventListener("click", () => setLarge(!document.body.classList.contains("quiz-large-text")));
  try { if (localStorage.getItem("quiz-large-text") === "1") setLarge(true); } catch (e) { /* ignore */ }

  // ---- changes ------------------------------------------------------------------------------
  const changed = () => {
    if (closed) return;
    dirty = true;
    queue.put(collect());
    refreshNav();
    if (status.dataset.state === "offline") return;  // the retry timer sends it when back
    show(text.unsavedText, "text-muted", "dirty");
    scheduleSave();
  };
  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  window.addEventListener("online", () => { if (dirty || timeUp) { retryDelay = 2000; save(); } });
  setInterval(() => { if (dirty && !saving && status.dataset.state !== "offline") save(); }, 10000);
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
    queue.clear();
    form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
  });
  // app.js asks before submitting; say how many questions are still unanswered.
  form.addEventListener("click", (event) => {
    if (!event.target.closest("#submit-attempt")) return;
    const open = questions.filter((q) => !isAnswered(q)).length;
    form.dataset.confirm = open ? text.confirmUnanswered.replace("{n}", open) : text.confirm;
  }, true);

  // Time is up: submit now, or, when the connection is down, as soon as the queued answers
  // reach the server (within the grace period the server accepts them; later it decides).
  const finishAfterTimeUp = () => {
    if (closed) return;
    closed = true;
    queue.clear();
    form.submit();
  };
  startCountdown(() => {
    if (closed) return;
    timeUp = true;
    // A save in flight decides: sent, it finishes the attempt; failed, it says time is up.
    if (saving) return;
    if (status.dataset.state === "offline" || !navigator.onLine) {
      show(text.timeUpOfflineText, "text-danger", "offline");
      return;  // save() (retry timer or the "online" event) finishes it
    }
    finishAfterTimeUp();
  }, text);

  if (restoreQueued()) { dirty = true; save(); }
  refreshNav();
  if (window.location.hash.startsWith("#question-")) {
    const target = document.getElementById(window.location.hash.slice(1));
    if (target) target.focus({ preventScroll: true });
  }
})();
