// Practical assessment form: the running score as the observer taps (the server scores it
// again on submit), one tap to mark everything met, and no second submit on a double tap
// (the server also keeps one assessment per form token).
const FACTORS = { met: 1, partly: 0.5, not_met: 0 };

function update(form) {
  let earned = 0, total = 0, answered = 0, criticalMissed = false;
  const items = form.querySelectorAll(".practical-item");
  items.forEach((item) => {
    const weight = Number(item.dataset.weight);
    total += weight;
    const chosen = item.querySelector("input[type=radio]:checked");
    if (!chosen) return;
    answered += 1;
    earned += weight * FACTORS[chosen.value];
    if (item.dataset.critical === "1" && chosen.value === "not_met") criticalMissed = true;
  });
  const percent = total ? Math.round((10000 * earned) / total) / 100 : 0;  // as the server rounds
  form.querySelector(".js-score").textContent = answered ? `${percent} / 100` : "—";
  const done = answered === items.length;
  const pass = done && !criticalMissed && percent >= Number(form.dataset.pass);
  form.querySelector(".js-verdict-pass").classList.toggle("d-none", !pass);
  form.querySelector(".js-verdict-fail").classList.toggle("d-none", !done || pass);
  form.querySelector(".js-verdict-critical").classList.toggle("d-none", !criticalMissed);
}

document.querySelectorAll(".js-practical").forEach((form) => {
  update(form);
  form.addEventListener("change", () => update(form));
  form.querySelector(".js-all-met").addEventListener("click", () => {
    form.querySelectorAll("input[type=radio][value=met]").forEach((r) => { r.checked = true; });
    update(form);
  });
  form.addEventListener("submit", (event) => {
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
  });
});
