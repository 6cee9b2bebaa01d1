// Packing check: scan the order barcode, then each item; tones come from Web Audio
// (no sound files): a short high beep for a good scan, a low buzz for a wrong or missing item.
(function () {
  const root = document.getElementById("packing");
  if (!root) return;
  const d = root.dataset;
  const scan = document.getElementById("scan");
  const message = document.getElementById("scan-message");
  const tbody = document.querySelector("#items tbody");
  const shipForm = document.getElementById("ship-form");
  const csrf = shipForm.querySelector("input[name=csrf_token]").value;
  let order = null, counts = {};
  let audio = null;

  function tone(freq, ms, type) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const osc = audio.createOscillator(), gain = audio.createGain();
      osc.type = type; osc.frequency.value = freq; gain.gain.value = 0.25;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + ms / 1000);
    } catch (e) { /* no audio device: the message still shows */ }
  }
  const good = () => tone(1320, 120, "sine");
  const bad = () => { tone(180, 450, "square"); };
  const done = () => { tone(990, 120, "sine"); setTimeout(() => tone(1480, 200, "sine"), 150); };

  function say(text, kind) { message.textContent = text; message.className = "flash " + kind; }
  function fill(template, key, value) { return template.replace("{" + key + "}", value); }

  function render() {
    tbody.innerHTML = "";
    for (const item of order.items) {
      const tr = document.createElement("tr");
      const n = counts[item.sku] || 0;
      tr.className = n === item.quantity ? "ok" : "";
      for (const text of [item.sku, item.title + " " + item.color, item.quantity, n]) {
        const td = document.createElement("td"); td.textContent = text; tr.appendChild(td);
      }
      tbody.appendChild(tr);
    }
  }

  function missing() {
    return order.items.filter(i => (counts[i.sku] || 0) < i.quantity)
      .map(i => i.sku + " ×" + (i.quantity - (counts[i.sku] || 0)));
  }

  async function loadOrder(number) {
    const r = await fetch(d.lookup + "?number=" + encodeURIComponent(number));
    const body = await r.json();
    if (!r.ok) { bad(); say(body.error, "error"); return; }
    order = body; counts = {};
    render(); good();
    say(fill(d.msgScanItems, "n", order.number), "info");
  }

  async function post(url, data) {
    const form = new FormData();
    form.append("csrf_token", csrf);
    for (const [k, v] of Object.entries(data || {})) form.append(k, v);
    const r = await fetch(url, { method: "POST", body: form, headers: { "X-CSRFToken": csrf } });
    return [r.ok, await r.json()];
  }

  async function scanItem(code) {
    const item = order.items.find(i => i.sku.toUpperCase() === code.toUpperCase());
    if (!item) { bad(); say(fill(d.msgWrong, "sku", code) + " " + fill(d.msgMissing, "list", missing().join("、")), "error"); return; }
    if ((counts[item.sku] || 0) >= item.quantity) { bad(); say(fill(d.msgExtra, "sku", item.sku), "error"); return; }
    counts[item.sku] = (counts[item.sku] || 0) + 1;
    render();
    const left = missing();
    if (left.length) { good(); say(fill(d.msgMissing, "list", left.join("、")), "info"); return; }
    await post(d.packed.replace("/0/", "/" + order.id + "/"));
    done(); say(d.msgDone, "success");
    shipForm.hidden = false;
    shipForm.querySelector("input[name=tracking_number]").value = order.tracking_number;
    shipForm.querySelector("input[name=tracking_number]").focus();
  }

  document.getElementById("scan-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const code = scan.value.trim(); scan.value = "";
    if (!code) return;
    (order && missing().length ? scanItem(code) : loadOrder(code));
  });
  shipForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const number = shipForm.querySelector("input[name=tracking_number]").value;
    const [ok, body] = await post(d.ship.replace("/0/", "/" + order.id + "/"), { tracking_number: number });
    if (!ok) { bad(); say(body.error, "error"); return; }
    done(); say(body.message || d.msgShipped, "success"); reset();
  });
  function reset() { order = null; counts = {}; tbody.innerHTML = ""; shipForm.hidden = true; scan.focus(); }
  document.getElementById("reset").addEventListener("click", () => { reset(); say(d.msgScanOrder, "info"); });
})();
