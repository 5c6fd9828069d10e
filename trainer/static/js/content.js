// Cue card: the print button (CSP forbids inline handlers).
document.querySelectorAll(".js-print").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
