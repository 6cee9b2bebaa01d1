// Returns desk: a short tone tells found / not found without looking up, and
// the scan field is cleared and focused again for the next parcel.
const tones = { found: [[880, 0.08], [1320, 0.12]], repeat: [[660, 0.15]], missing: [[220, 0.35]] };
let audio;
function play(kind) {
  const notes = tones[kind];
  if (!notes) return;
  audio = audio || new (window.AudioContext || window.webkitAudioContext)();
  let at = audio.currentTime;
  for (const [hz, seconds] of notes) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = hz;
    osc.type = kind === "missing" ? "square" : "sine";
    gain.gain.value = 0.2;
    osc.connect(gain).connect(audio.destination);
    osc.start(at);
    osc.stop(at + seconds);
    at += seconds + 0.03;
  }
}
document.addEventListener("htmx:afterSwap", (event) => {
  const marked = event.detail.target.querySelector("[data-sound]");
  if (marked) play(marked.dataset.sound);
  const field = document.querySelector("form.scan input[name=code]");
  if (field) { field.value = ""; field.focus(); }
});
