// Print buttons, and documents opened with ?print=1 print once loaded
// (here rather than inline: the Content-Security-Policy forbids inline script).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
if (document.querySelector("[data-autoprint]")) window.addEventListener("load", () => window.print());
