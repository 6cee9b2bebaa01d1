// A "select all" checkbox ticks every checkbox named by its data-select-all.
document.addEventListener("change", (event) => {
  const all = event.target.closest("input[data-select-all]");
  if (!all) return;
  document.querySelectorAll(`input[name="${all.dataset.selectAll}"]`).forEach((box) => { box.checked = all.checked; });
});
