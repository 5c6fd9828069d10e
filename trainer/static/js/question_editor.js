// Question form editor: show the chosen type's section, add/remove/move rows, live preview.
// No inline handlers (CSP); every control is a real button, so the keyboard works alone.
(function () {
  const form = document.getElementById("question-editor");
  if (!form) return;
  const typeSelect = form.querySelector("#type");

  function showSection() {
    const type = typeSelect.value;
    form.querySelectorAll("[data-section]").forEach((section) => {
      const on = section.dataset.section.split(" ").includes(type);
      section.hidden = !on;
      // a hidden section's inputs are not posted, so two sections never send one name twice
      section.querySelectorAll("input, select, textarea").forEach((el) => {
        if (!el.closest("template")) el.disabled = !on;
      });
    });
  }
  typeSelect.addEventListener("change", showSection);
  showSection();

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button || !form.contains(button)) return;
    if (button.dataset.add) {
      const group = button.closest("[data-rows]");
      const row = group.querySelector("template[data-row-template]").content.firstElementChild.cloneNode(true);
      group.querySelector("[data-row-list]").appendChild(row);
      const first = row.querySelector("input, select, textarea");
      if (first) first.focus();
    } else if (button.dataset.move) {
      const row = button.closest("[data-row]");
      const sibling = button.dataset.move === "up" ? row.previousElementSibling : row.nextElementSibling;
      if (sibling) {
        if (button.dataset.move === "up") sibling.before(row); else sibling.after(row);
        button.focus();
      }
    } else if (button.hasAttribute("data-remove")) {
      const row = button.closest("[data-row]");
      const list = row.parentElement;
      row.remove();
      const next = list.querySelector("[data-row] input");
      if (next) next.focus();
    }
  });

  const text = form.querySelector("#text");
  const format = form.querySelector("#format");
  const target = document.getElementById(text.dataset.preview);
  const token = document.querySelector('meta[name="csrf-token"]').content;
  let timer = null;
  function preview() {
    const body = new URLSearchParams({ text: text.value, format: format.value });
    fetch(form.dataset.previewUrl, {
      method: "POST",
      headers: { "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded" },
      body: body,
      credentials: "same-origin",
    })
      .then((response) => (response.ok ? response.text() : ""))
      .then((html) => { target.innerHTML = html; })  // sanitised by the server
      .catch(() => {});
  }
  function later() { clearTimeout(timer); timer = setTimeout(preview, 300); }
  text.addEventListener("input", later);
  format.addEventListener("change", preview);
  preview();
})();
