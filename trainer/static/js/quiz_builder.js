// Quiz builder: reorder/remove rule rows, add random rules and fixed questions from the
// picker, and show live how many questions each random rule can draw. No inline scripts.
(function () {
  const builder = document.getElementById("quiz-builder");
  if (!builder) return;
  const form = builder.closest("form");
  const list = document.getElementById("rule-list");
  const purpose = form.querySelector('[name="purpose"]');

  function fixedIds() {
    return Array.from(list.querySelectorAll('[data-kind="fixed"] [name="rule-question"]'))
      .map((input) => input.value).filter(Boolean);
  }

  function refreshCount(row) {
    const category = row.querySelector('[name="rule-category"]').value.trim();
    const tag = row.querySelector('[name="rule-tag"]').value.trim();
    const usage = row.querySelector('[name="rule-usage"]').value;
    const wanted = parseInt(row.querySelector('[name="rule-count"]').value, 10) || 0;
    const target = row.querySelector("[data-available]");
    if (!category && !tag && !usage) { target.textContent = ""; return; }
    const params = new URLSearchParams({
      category: category, tag: tag, usage: usage, purpose: purpose.value,
    });
    fixedIds().forEach((id) => params.append("exclude", id));
    fetch(builder.dataset.availableUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then((response) => response.json())
      .then((data) => {
        const short = data.available < wanted;
        target.textContent = builder.dataset.availableText.replace("{n}", data.available) +
          (short ? " · " + builder.dataset.shortText : "");
        target.classList.toggle("text-danger", short);
        target.classList.toggle("text-success", !short);
        target.dataset.count = String(data.available);
      })
      .catch(() => {});
  }
  function refreshAll() { list.querySelectorAll('[data-kind="random"]').forEach(refreshCount); }

  function addRow(templateId) {
    const row = document.getElementById(templateId).content.firstElementChild.cloneNode(true);
    list.appendChild(row);
    return row;
  }

  builder.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.id === "add-random") {
      addRow("tpl-random").querySelector('[name="rule-category"]').focus();
    } else if (button.dataset.move) {
      const row = button.closest("[data-row]");
      const sibling = button.dataset.move === "up" ? row.previousElementSibling : row.nextElementSibling;
      if (sibling) { if (button.dataset.move === "up") sibling.before(row); else sibling.after(row); button.focus(); }
    } else if (button.hasAttribute("data-remove")) {
      button.closest("[data-row]").remove();
      refreshAll();
    } else if (button.id === "picker-go") {
      search();
    } else if (button.dataset.pick) {
      const row = addRow("tpl-fixed");
      row.querySelector('[name="rule-question"]').value = button.dataset.pick;
      row.querySelector("[data-label]").textContent = button.dataset.label;
      button.disabled = true;
      refreshAll();
    }
  });
  let timer = null;
  function scheduleCount(event) {
    const row = event.target.closest('[data-kind="random"]');
    if (!row) return;
    clearTimeout(timer);
    timer = setTimeout(() => refreshCount(row), 250);
  }
  builder.addEventListener("input", scheduleCount);
  builder.addEventListener("change", scheduleCount);
  purpose.addEventListener("change", refreshAll);

  const query = document.getElementById("picker-q");
  const results = document.getElementById("picker-results");
  query.addEventListener("keydown", (event) => {
    if (event.key === "Enter") { event.preventDefault(); search(); }
  });
  function search() {
    const params = new URLSearchParams({ q: query.value });
    fetch(builder.dataset.pickerUrl + "?" + params.toString(), { credentials: "same-origin" })
      .then((response) => response.json())
      .then((data) => {
        results.replaceChildren();
        if (!data.questions.length) {
          const li = document.createElement("li");
          li.textContent = builder.dataset.noneText;
          results.appendChild(li);
        }
        const taken = fixedIds();
        data.questions.forEach((q) => {
          const li = document.createElement("li");
          li.className = "d-flex align-items-center gap-2 mb-1";
          const add = document.createElement("button");
          add.type = "button";
          add.className = "btn btn-sm btn-outline-primary";
          add.textContent = builder.dataset.addText;
          add.dataset.pick = String(q.id);
          add.dataset.label = q.label;
          add.disabled = taken.includes(String(q.id));
          const text = document.createElement("span");
          text.textContent = q.label + " · " + q.category;
          li.append(add, text);
          results.appendChild(li);
        });
      })
      .catch(() => {});
  }
  refreshAll();
})();
