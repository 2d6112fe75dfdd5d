// The talkshow studio page: player, controls, queue, cast picker, transcript, compose chart.
// Plain DOM and one WebSocket; every error is shown next to what caused it.
"use strict";

const $ = (id) => document.getElementById(id);
const STATUS_LABELS = {
  writing: "Writing", voicing: "Voicing", ready: "Ready", on_air: "On air", done: "Done",
  failed: "Failed", dropped: "Dropped", interrupted: "Interrupted",
};
const CHART_FRAMES = 300;  // 10 s at 30 fps
const state = { lines: new Map(), shows: new Map(), compose: [], budget: 33.3, characters: [] };
window.talkshow = { latencyMs: null, errors: [], errorDetails: [], batches: 0, lines: state.lines };

// --- player -----------------------------------------------------------------
const video = $("player");
// Low-Latency HLS: 200 ms parts, blocking playlist reload; hls.js holds back the playlist's
// PART-HOLD-BACK (0.6 s) from the live edge. /hls/live.m3u8 is the same stream as plain HLS.
const PLAYLIST = "/hls/ll.m3u8";
if (window.Hls && Hls.isSupported()) {
  const hls = new Hls({ lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.1, backBufferLength: 10 });
  window.talkshow.hls = hls;
  hls.loadSource(PLAYLIST);
  hls.attachMedia(video);
  hls.on(Hls.Events.ERROR, (_, data) => {
    window.talkshow.errors.push(data.details);
    // what a report needs to find the cause: which fragment or part, and why (hls.js's own words)
    window.talkshow.errorDetails.push({
      details: data.details, fatal: !!data.fatal, reason: String(data.reason || data.error || ""),
      frag: data.frag ? data.frag.relurl : null, part: data.part ? data.part.relurl : null,
    });
    if (data.fatal) { $("stream-error").textContent = `stream error: ${data.details} (retrying)`; hls.startLoad(); }
  });
  hls.on(Hls.Events.FRAG_BUFFERED, () => { $("stream-error").textContent = ""; });
  setInterval(() => {
    const date = hls.playingDate;  // EXT-X-PROGRAM-DATE-TIME of the frame on screen
    if (date) {
      window.talkshow.latencyMs = Date.now() - date.getTime();
      $("latency").textContent = (window.talkshow.latencyMs / 1000).toFixed(2) + " s";
    }
  }, 250);
} else if (video.canPlayType("application/vnd.apple.mpegurl")) {
  video.src = PLAYLIST;  // Safari plays HLS natively
} else {
  $("stream-error").textContent = "this browser cannot play HLS, and hls.js did not load";
}
$("unmute").onclick = () => { video.muted = false; video.play(); };

// --- API helper ---------------------------------------------------------------
$("token").value = localStorage.getItem("talkshow-token") || "";
$("token").onchange = () => localStorage.setItem("talkshow-token", $("token").value.trim());

async function api(method, path, body, errorBox) {
  const headers = {};
  const token = $("token").value.trim();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body && !(body instanceof FormData)) { headers["Content-Type"] = "application/json"; body = JSON.stringify(body); }
  if (errorBox) $(errorBox).textContent = "";
  let reply;
  try {
    reply = await fetch(path, { method, headers, body });
  } catch (err) {
    if (errorBox) $(errorBox).textContent = `the studio did not answer (${err.message})`;
    throw err;
  }
  const data = await reply.json().catch(() => ({}));
  if (!reply.ok) {
    if (reply.status === 401) $("token-box").hidden = false;
    const message = data.error || `${reply.status} ${reply.statusText}`;
    if (errorBox) $(errorBox).textContent = message;
    throw new Error(message);
  }
  return data;
}

// --- controls -----------------------------------------------------------------
for (const action of ["start", "skip", "stop"]) {
  $(action).onclick = () => api("POST", `/api/control/${action}`, null, "control-error").then(showControl, () => {});
}
$("dump").onclick = () => api("POST", "/api/control/dump", null, "control-error").then(
  (report) => { $("control-error").textContent = `dumped ${report.seconds.toFixed(1)} s`; }, () => {});
function showControl(control) {
  const pill = $("state");
  pill.textContent = control.holding ? "stopped: idle scene" : "live";
  pill.className = "pill " + (control.holding ? "holding" : "live");
}

// --- queue and cast picker ---------------------------------------------------------
function castChoice() {
  const cast = [];
  for (const row of document.querySelectorAll("#cast [data-character]")) {
    if (row.querySelector("input").checked) {
      cast.push({ id: row.dataset.character, voice: row.querySelector("select").value });
    }
  }
  // Everyone with their own voices is the default: send nothing then, so the show follows the config.
  const untouched = cast.length === state.characters.length &&
    cast.every((c, i) => c.voice === state.characters[i].voice);
  return untouched ? [] : cast;
}

$("topic-form").onsubmit = async (event) => {
  event.preventDefault();
  const body = { topic: $("topic").value, cast: castChoice(), writer: $("writer").value };
  if ($("turns").value) body.turns = Number($("turns").value);
  try {
    await api("POST", "/api/topics", body, "topic-error");
    $("topic").value = "";
    renderQueue((await api("GET", "/api/topics")).queue);
  } catch (err) { /* shown under the form */ }
};

function renderQueue(queue) {
  const list = $("queue");
  list.replaceChildren();
  $("queue-empty").hidden = queue.length > 0;
  queue.forEach((show, index) => {
    const item = document.createElement("li");
    item.dataset.show = show.id;
    const title = document.createElement("span");
    const who = show.cast.length ? " · " + show.cast.map((c) => c.id).join(", ") : "";
    title.textContent = `${index + 1}. ${show.topic}${who}${show.writer ? " · " + show.writer : ""}`;
    const move = (delta) => {
      const ids = queue.map((s) => s.id);
      const [moved] = ids.splice(index, 1);
      ids.splice(index + delta, 0, moved);
      api("PUT", "/api/topics/order", { ids }, "topic-error").then((r) => renderQueue(r.queue), () => {});
    };
    item.append(title, button("▲", "move up", () => move(-1), index === 0),
      button("▼", "move down", () => move(1), index === queue.length - 1),
      button("✕", "remove", () => api("DELETE", `/api/shows/${show.id}`, null, "topic-error")
        .then(() => api("GET", "/api/topics")).then((r) => renderQueue(r.queue), () => {})));
    list.append(item);
  });
}

function button(text, title, onclick, disabled = false) {
  const b = document.createElement("button");
  Object.assign(b, { textContent: text, title, onclick, disabled });
  return b;
}

async function loadCast() {
  const [characters, voices] = await Promise.all([api("GET", "/api/characters"), api("GET", "/api/voices")]);
  state.characters = characters;
  const names = Object.entries(voices.engines).flatMap(([engine, list]) => list.map((v) => `${engine}:${v.name}`));
  const rows = characters.map((c) => {
    const row = document.createElement("div");
    row.dataset.character = c.id;
    const check = Object.assign(document.createElement("input"), { type: "checkbox", checked: true });
    const select = document.createElement("select");
    for (const name of new Set([c.voice, ...names])) select.append(new Option(name, name, false, name === c.voice));
    const label = document.createElement("label");
    label.append(check, ` ${c.name} `, select);
    row.append(label);
    return row;
  });
  $("cast").replaceChildren(...rows);
  $("writer").replaceChildren(new Option("as configured", ""), ...voices.writers.map((w) => new Option(w.label, w.id)));
  $("say-character").replaceChildren(...characters.map((c) => new Option(c.name, c.id)));
}

// --- say ----------------------------------------------------------------------
$("say-form").onsubmit = async (event) => {
  event.preventDefault();
  const form = new FormData($("say-form"));
  if (!$("say-audio").files.length) form.delete("audio");
  $("say-result").textContent = "preparing…";
  try {
    const reply = await api("POST", "/api/say", form, "say-error");
    $("say-result").textContent = `queued: ${reply.audio_s.toFixed(1)} s of audio, ready in ${reply.prep_ms.toFixed(0)} ms`;
    $("say-text").value = "";
    $("say-audio").value = "";
  } catch (err) { $("say-result").textContent = ""; }
};

// --- transcript ---------------------------------------------------------------
function lineRow(line) {
  let item = document.querySelector(`#lines li[data-line="${line.id}"]`);
  if (!item) {
    item = document.createElement("li");
    item.dataset.line = line.id;
    const group = line.show_id === null ? "say" : `show-${line.show_id}`;
    const last = $("lines").lastElementChild;
    if (!last || last.dataset.group !== group) {
      const header = document.createElement("li");
      header.className = "show";
      header.dataset.group = group;
      const show = state.shows.get(line.show_id);
      header.textContent = line.show_id === null ? "pushed from the studio" : `show ${line.show_id}${show ? ": " + show.topic : ""}`;
      $("lines").append(header);
    }
    item.dataset.group = group;
    $("lines").append(item);
  }
  return item;
}

function renderLine(line) {
  state.lines.set(line.id, line);
  const item = lineRow(line);
  item.dataset.status = line.status;
  const badge = `<span class="badge ${line.status}">${STATUS_LABELS[line.status] || line.status}</span>`;
  const meta = [];
  if (line.audio_s !== null) meta.push(`${line.audio_s.toFixed(2)} s audio`);
  if (line.tts_ms !== null && line.source !== "say") meta.push(`TTS ${line.tts_ms.toFixed(0)} ms`);
  if (line.source === "say") meta.push("pushed");
  item.innerHTML = `${badge}<b></b> <span class="text"></span><div class="meta"></div><div class="error"></div>`;
  item.querySelector("b").textContent = line.speaker ? line.speaker + ":" : "";
  item.querySelector(".text").textContent = line.text || (line.status === "writing" ? "…" : "(audio clip)");
  item.querySelector(".meta").textContent = meta.join(" · ");
  item.querySelector(".error").textContent = line.error;
  const list = $("lines");
  if (list.scrollHeight - list.scrollTop - list.clientHeight < 80) list.scrollTop = list.scrollHeight;
}

// --- chart and counters ----------------------------------------------------------------
function drawChart() {
  const canvas = $("chart");
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  const top = Math.max(state.budget * 1.25, ...state.compose);
  const y = (ms) => height - 8 - (ms / top) * (height - 16);
  ctx.clearRect(0, 0, width, height);
  ctx.strokeStyle = "#ff8a80";
  ctx.setLineDash([6, 4]);
  ctx.beginPath(); ctx.moveTo(0, y(state.budget)); ctx.lineTo(width, y(state.budget)); ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = "#9a94ad";
  ctx.fillText(`${state.budget.toFixed(1)} ms budget`, 6, y(state.budget) - 4);
  ctx.strokeStyle = "#7c6cf2";
  ctx.beginPath();
  state.compose.forEach((ms, i) => {
    const x = (i / (CHART_FRAMES - 1)) * width;
    if (i === 0) ctx.moveTo(x, y(ms)); else ctx.lineTo(x, y(ms));
  });
  ctx.stroke();
  if (state.compose.length) {
    const sorted = [...state.compose].sort((a, b) => a - b);
    $("p99").textContent = sorted[Math.floor(0.99 * (sorted.length - 1))].toFixed(2) + " ms";
  }
}

function showStatus(status) {
  if (!status || status.frames === undefined) return;
  $("onair").textContent = status.on_air || (status.show ? `show ${status.show.id}: writing…` : "idle");
  $("late").textContent = status.late_frames;
  $("gaps").textContent = status.dead_air_gaps;
  $("deadair").textContent = status.dead_air_s.toFixed(1) + " s";
  $("maxgap").textContent = status.turns_done > 1 ? status.max_turn_gap_s.toFixed(2) + " s" : "–";
  $("cpu").textContent = status.cpu_cores.toFixed(2) + " cores";
  state.budget = status.budget_ms;
  $("budget").textContent = status.budget_ms.toFixed(1);
  showControl({ holding: status.holding });
  if (status.line) renderCaller(status.line);
  const delay = status.delay;  // the broadcast delay, if the show runs one
  $("delay-box").hidden = $("dump").hidden = !delay;
  if (delay) $("delay").textContent = `${delay.seconds} s` + (delay.dumps ? ` (${delay.dumps} dumped)` : "");
}

// --- the line: who is on air with a character, who holds ---------------------------------
function renderCaller(line) {
  const rows = [];
  if (line && line.on_call) {
    const item = document.createElement("li");
    const what = document.createElement("span");
    what.textContent = `${line.caller} with ${line.character} (${line.transport}, ${Math.round(line.seconds)} s)`;
    item.append(what, button("Hang up", "end the call; the show resumes",
      () => api("DELETE", "/api/rtc/call", null, "line-error").catch(() => {})));
    rows.push(item);
  }
  for (const call of (line && line.waiting) || []) {
    const item = document.createElement("li");
    const what = document.createElement("span");
    what.textContent = `${call.caller} holding (${call.transport}, ${Math.round(call.seconds)} s)`;
    item.append(what, button("Hang up", "drop this caller from the queue",
      () => api("DELETE", `/api/phone/calls/${encodeURIComponent(call.call)}`, null, "line-error").catch(() => {})));
    rows.push(item);
  }
  $("line").replaceChildren(...rows);
  $("line-empty").hidden = rows.length > 0;
}

// --- chat: each source's state (and a metered one's quota), what the desk did --------------
async function loadChat() {
  let chat;
  try { chat = await api("GET", "/api/chat"); } catch (err) { return; }  // no [chat] in this show
  $("chat-panel").hidden = false;
  const rows = Object.entries(chat.sources).map(([name, source]) => {
    const item = document.createElement("li");
    const quota = source.quota_left !== undefined ? ` · quota ${source.quota_left} of ${source.quota_per_day}` : "";
    item.textContent = `${name}: ${source.state}${source.detail ? " (" + source.detail + ")" : ""}${quota}`;
    item.dataset.state = source.state;
    return item;
  });
  $("chat-sources").replaceChildren(...rows);
  const c = chat.counts;
  $("chat-counts").textContent = `${c.received || 0} messages · ${chat.pending} questions waiting · `
    + `${c.answered || 0} answered · ${c.held || 0} held · ${c.flood_dropped || 0} dropped as flood`;
  setTimeout(loadChat, 2000);
}
loadChat();

// --- held lines ---------------------------------------------------------------------
// What moderation held, with why; approving a character's line airs it next, rejecting keeps it off.
const heldLines = new Map();
function renderHeld(line) {
  heldLines.set(line.id, line);
  const waiting = [...heldLines.values()].filter((h) => h.status === "held").sort((a, b) => b.id - a.id);
  const rows = waiting.map((h) => {
    const item = document.createElement("li");
    item.dataset.held = h.id;
    const what = document.createElement("q");
    what.textContent = h.text;
    const why = document.createElement("small");
    why.textContent = ` ${h.source}${h.who ? " · " + h.who : ""} · ${h.reason}`;
    item.append(what, why,
      button("Approve", "air it next (a character's line) or mark it fine", () => decideHeld(h.id, "approve")),
      button("Reject", "keep it off air", () => decideHeld(h.id, "reject")));
    return item;
  });
  $("held").replaceChildren(...rows);
  $("held-count").textContent = String(waiting.length);
  $("held-empty").hidden = waiting.length > 0;
}
async function decideHeld(id, decision) {
  const line = await api("POST", `/api/held/${id}/${decision}`, null, "held-error");
  renderHeld(line);
}

// --- live timeline ----------------------------------------------------------------
function applyBatch(batch) {
  window.talkshow.batches += 1;
  for (const show of batch.shows || []) state.shows.set(show.id, show);
  for (const line of batch.lines || []) renderLine(line);
  for (const held of batch.held || []) renderHeld(held);
  if (batch.queue) renderQueue(batch.queue);
  if (batch.frames) {
    state.compose.push(...batch.frames.compose_ms);
    state.compose.splice(0, Math.max(0, state.compose.length - CHART_FRAMES));
    drawChart();
  }
  for (const event of batch.events || []) {
    if (event.kind === "renderer_failed") $("stream-error").textContent = `renderer failed: ${event.error}`;
  }
  showStatus(batch.status);
}

async function loadState() {
  const [shows, lines, queue, status, held] = await Promise.all([
    api("GET", "/api/shows?limit=20"), api("GET", "/api/lines?limit=100"), api("GET", "/api/topics"), api("GET", "/api/status"),
    api("GET", "/api/held?status=held"),
  ]);
  for (const line of held.held) renderHeld(line);
  for (const show of shows.shows) state.shows.set(show.id, show);
  $("lines").replaceChildren();
  for (const line of lines.lines) renderLine(line);
  renderQueue(queue.queue);
  showStatus(status);
}

let retryMs = 500;
function connect() {
  // Off loopback the event stream needs the token; a browser cannot set headers on a WebSocket.
  const token = $("token").value.trim();
  const query = token ? `?token=${encodeURIComponent(token)}` : "";
  const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/events${query}`);
  socket.onopen = () => { retryMs = 500; $("ws-state").textContent = ""; loadState().catch(() => {}); };
  socket.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.hello) showStatus(data.hello); else applyBatch(data);
  };
  socket.onclose = () => {
    $("ws-state").textContent = "· reconnecting…";
    setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 8000);
  };
}

loadCast().catch((err) => { $("topic-error").textContent = `could not load the cast: ${err.message}`; });
connect();
