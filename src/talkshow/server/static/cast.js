// The cast editor: import an avatar, map its mouths, pick its voice, preview it in the set.
// Plain DOM; every error is shown next to what caused it.
"use strict";

const $ = (id) => document.getElementById(id);
const SHAPES = ["X", "A", "B", "C", "D", "E", "F", "G", "H"];
const SHAPE_HINTS = {
  X: "rest", A: "closed (p, b, m)", B: "slightly open (most consonants)", C: "open (e, a)", D: "wide open (aa)",
  E: "rounded (o)", F: "puckered (oo, w)", G: "teeth on lip (f, v)", H: "tongue up (l)",
};
const state = { packs: [], pack: null };
window.talkshow = { previews: 0, errors: [] };

$("token").value = localStorage.getItem("talkshow-token") || "";
$("token").onchange = () => localStorage.setItem("talkshow-token", $("token").value.trim());

async function call(method, path, body, errorBox, raw = false) {
  const headers = {};
  const token = $("token").value.trim();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body && !(body instanceof Blob)) { headers["Content-Type"] = "application/json"; body = JSON.stringify(body); }
  $(errorBox).textContent = "";
  let reply;
  try {
    reply = await fetch(path, { method, headers, body });
  } catch (err) {
    $(errorBox).textContent = `the studio did not answer (${err.message})`;
    throw err;
  }
  if (!reply.ok) {
    const data = await reply.json().catch(() => ({}));
    if (reply.status === 401) $("token-box").hidden = false;
    const message = data.error || `${reply.status} ${reply.statusText}`;
    $(errorBox).textContent = message;
    window.talkshow.errors.push(message);
    throw new Error(message);
  }
  return raw ? reply.blob() : reply.json();
}

// --- packs --------------------------------------------------------------------
async function loadPacks(select) {
  const { packs } = await call("GET", "/api/cast/packs", null, "import-error");
  state.packs = packs;
  $("pack").replaceChildren(...packs.map((p) => new Option(`${p.name} (${p.id})`, p.id)));
  $("pack-empty").hidden = packs.length > 0;
  if (packs.length) showPack(packs.find((p) => p.id === select) || packs[0]);
}
$("pack").onchange = () => showPack(state.packs.find((p) => p.id === $("pack").value));

function showPack(pack) {
  state.pack = pack;
  $("pack").value = pack.id;
  const moving = pack.sprites.filter((s) => s.moving).length;
  $("pack-info").textContent = `${pack.sprites.length} sprites (${moving} moving); ${pack.description}`;
  $("use").textContent = `On air: ${pack.use}`;
  const rows = SHAPES.map((shape) => {
    const row = document.createElement("tr");
    row.dataset.shape = shape;
    const select = document.createElement("select");
    select.append(new Option("(none)", ""), ...pack.mouth_choices.map((id) => new Option(`sprite ${id}`, id)));
    select.value = pack.mouths[shape] || "";
    const thumb = document.createElement("img");
    thumb.height = 40;
    const showThumb = () => {
      thumb.hidden = !select.value;
      if (select.value) thumb.src = `/api/cast/packs/${pack.id}/sprites/${encodeURIComponent(select.value)}`;
    };
    select.onchange = showThumb;
    showThumb();
    const name = document.createElement("th");
    name.textContent = shape;
    name.title = SHAPE_HINTS[shape];
    const hint = document.createElement("td");
    hint.className = "muted";
    hint.textContent = SHAPE_HINTS[shape];
    const cell = document.createElement("td");
    cell.append(select);
    const picture = document.createElement("td");
    picture.append(thumb);
    row.append(name, cell, picture, hint);
    return row;
  });
  $("mouths").replaceChildren(...rows);
  const voice = pack.voice || {};
  const wanted = voice.engine && voice.voice ? `${voice.engine}:${voice.voice}` : "";
  if (wanted && ![...$("voice").options].some((o) => o.value === wanted)) $("voice").append(new Option(wanted, wanted));
  $("voice").value = wanted || $("voice").value;
  $("pitch").value = voice.pitch ?? 50;
  $("rate").value = voice.rate ?? 175;
  $("formants").value = voice.formants ?? 1.0;
}

// --- import -------------------------------------------------------------------
$("import-form").onsubmit = async (event) => {
  event.preventDefault();
  const file = $("avatar-file").files[0];
  if (!file) return;
  const query = new URLSearchParams({ filename: file.name, id: $("avatar-id").value.trim(), name: $("avatar-name").value.trim() });
  const pack = await call("POST", `/api/cast/import?${query}`, file, "import-error").catch(() => null);
  if (pack) await loadPacks(pack.id);
};

// --- mouths and voice -----------------------------------------------------------
function mouthMap() {
  const mapping = {};
  for (const row of $("mouths").rows) mapping[row.dataset.shape] = row.querySelector("select").value;
  return mapping;
}
async function saveMouths(mouths) {
  $("mouth-state").textContent = "saving…";
  const pack = await call("PUT", `/api/cast/packs/${state.pack.id}/mouths`, { mouths }, "mouth-error").catch(() => null);
  $("mouth-state").textContent = pack ? (Object.keys(mouths).length ? "saved" : "saved: two-state") : "";
  if (pack) { replacePack(pack); showPack(pack); }
}
$("save-mouths").onclick = () => saveMouths(mouthMap());
$("clear-mouths").onclick = () => saveMouths({});

function voiceChoice() {
  const [engine, ...rest] = $("voice").value.split(":");
  const choice = { engine, voice: rest.join(":"), pitch: Number($("pitch").value), rate: Number($("rate").value) };
  if (engine === "piper") choice.formants = Number($("formants").value);
  return choice;
}
$("voice-form").onsubmit = async (event) => {
  event.preventDefault();
  $("voice-state").textContent = "saving…";
  const pack = await call("PUT", `/api/cast/packs/${state.pack.id}/voice`, voiceChoice(), "voice-error").catch(() => null);
  $("voice-state").textContent = pack ? "saved" : "";
  if (pack) { replacePack(pack); showPack(pack); }
};
function replacePack(pack) {
  state.packs = state.packs.map((p) => (p.id === pack.id ? pack : p));
}

async function loadVoices() {
  const voices = await call("GET", "/api/voices", null, "voice-error");
  const names = Object.entries(voices.engines).flatMap(([engine, list]) => list.map((v) => `${engine}:${v.name}`));
  $("voice").replaceChildren(...names.map((name) => new Option(name, name)));
  $("voice").value = names.includes("piper:joe") ? "piper:joe" : names[0];
}

// --- preview ------------------------------------------------------------------
// The test line in the set: a changed mouth map is saved first; the voice is heard as the form has it.
$("preview-form").onsubmit = async (event) => {
  event.preventDefault();
  if (!state.pack) return;
  const mouths = mouthMap();
  const mapped = Object.values(mouths).some((sprite) => sprite);
  const saved = state.pack.mouths;
  if (mapped && SHAPES.some((shape) => (saved[shape] || "") !== mouths[shape])) await saveMouths(mouths);
  $("preview-state").textContent = "rendering…";
  const started = performance.now();
  const body = { text: $("test-line").value.trim() || "Hello!", voice: voiceChoice() };
  const clip = await call("POST", `/api/cast/packs/${state.pack.id}/preview`, body, "preview-error", true).catch(() => null);
  $("preview-state").textContent = clip ? `rendered in ${((performance.now() - started) / 1000).toFixed(1)} s` : "";
  if (!clip) return;
  const player = $("preview");
  if (player.src) URL.revokeObjectURL(player.src);
  player.src = URL.createObjectURL(clip);
  player.onloadeddata = () => { window.talkshow.previews += 1; };
  player.play().catch(() => {});  // autoplay with sound may be refused; the controls are there
};

loadVoices().then(() => loadPacks(), () => {});
