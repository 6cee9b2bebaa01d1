// The listing editor's image picker: drag to reorder, remove, click a photo to add it.
// The chosen order is kept in the hidden main_sources field, one path per line.
(function () {
  const list = document.querySelector("[data-picker]");
  const value = document.querySelector("[data-picker-value]");
  if (!list || !value) return;
  const media = list.dataset.media || "";
  let dragged = null;

  function sync() {
    value.value = Array.from(list.children).map((li) => li.dataset.src).join("\n");
  }
  function item(src, url) {
    const li = document.createElement("li");
    li.draggable = true;
    li.dataset.src = src;
    const img = document.createElement("img");
    img.src = url;
    img.alt = "";
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link";
    remove.dataset.remove = "";
    remove.textContent = list.dataset.removeLabel || "×";
    li.append(img, remove);
    return li;
  }
  list.addEventListener("dragstart", (e) => { dragged = e.target.closest("li"); });
  list.addEventListener("dragover", (e) => {
    e.preventDefault();
    const over = e.target.closest("li");
    if (!dragged || !over || over === dragged) return;
    const after = e.clientX > over.getBoundingClientRect().left + over.offsetWidth / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });
  list.addEventListener("drop", (e) => { e.preventDefault(); dragged = null; sync(); });
  list.addEventListener("click", (e) => {
    if (e.target.matches("[data-remove]")) { e.target.closest("li").remove(); sync(); }
  });
  document.querySelectorAll("[data-add]").forEach((button) => {
    button.addEventListener("click", () => {
      const src = button.dataset.add;
      if (Array.from(list.children).some((li) => li.dataset.src === src)) return;
      list.append(item(src, button.querySelector("img").src));
      sync();
    });
  });
})();
