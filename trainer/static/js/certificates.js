// Bulk issuance: poll the batch's progress until every certificate is issued or failed.
(() => {
  const box = document.getElementById("batch-progress");
  if (!box) return;
  const bar = box.querySelector(".progress-bar");
  const meter = box.querySelector("[role=progressbar]");
  const render = (p) => {
    const count = p.done + p.failed;
    bar.style.width = (p.total ? (count * 100) / p.total : 100) + "%";
    meter.setAttribute("aria-valuenow", count);
    box.querySelector(".js-done").textContent = p.done;
    box.querySelector(".js-failed").textContent = p.failed;
    if (p.finished) box.querySelector(".js-state").textContent = "✓";
    const errors = box.querySelector(".js-errors");
    errors.replaceChildren(...p.errors.map((e) => Object.assign(document.createElement("li"), { textContent: e })));
  };
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.url, { headers: { Accept: "application/json" } });
      if (response.ok) {
        const progress = await response.json();
        render(progress);
        if (progress.finished) return;
      }
    } catch (error) {
      console.warn("progress poll failed", error);
    }
    setTimeout(poll, 1000);
  };
  poll();
})();
