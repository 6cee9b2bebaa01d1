// The listing editor's image picker: drag to reorder, replace one in place, remove, click a photo to add it.
// The chosen order is kept in the hidden main_sources field, one path per line.
(function () {
  const list = document.querySelector("[data-picker]");
  const value = document.querySelector("[data-picker-value]");
  if (!list || !value) return;
  let dragged = null;
  let replacing = null; // the chosen image the next clicked photo takes the place of

  function sync() {
    value.value = Array.from(list.children).map((li) => li.dataset.src).join("\n");
  }
  function button(kind, label) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "link";
    b.dataset[kind] = "";
    b.textContent = label;
    return b;
  }
  function item(src, url) {
    const li = document.createElement("li");
    li.draggable = true;
    li.dataset.src = src;
    const img = document.createElement("img");
    img.src = url;
    img.alt = "";
    li.append(img, button("replace", list.dataset.replaceLabel || "⇄"), button("remove", list.dataset.removeLabel || "×"));
    return li;
  }
  function stopReplacing() {
    if (replacing) replacing.classList.remove("replacing");
    replacing = null;
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
    const li = e.target.closest("li");
    if (e.target.matches("[data-remove]")) {
      if (li === replacing) stopReplacing();
      li.remove();
      sync();
    } else if (e.target.matches("[data-replace]")) {
      const again = li === replacing;
      stopReplacing();
      if (!again) { replacing = li; li.classList.add("replacing"); }
    }
  });
  document.querySelectorAll("[data-add]").forEach((photo) => {
    photo.addEventListener("click", () => {
      const src = photo.dataset.add;
      if (Array.from(list.children).some((li) => li.dataset.src === src)) return; // each image once
      const url = photo.querySelector("img").src;
      if (replacing) {
        replacing.dataset.src = src;
        replacing.querySelector("img").src = url;
        stopReplacing();
      } else {
        list.append(item(src, url));
      }
      sync();
    });
  });
})();
