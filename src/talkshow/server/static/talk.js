// Talk to the show over WebRTC: the microphone goes up, the show (H.264 + Opus) comes back.
"use strict";
const $ = (id) => document.getElementById(id);
let pc = null;
let sessionUrl = null;

$("token").value = localStorage.getItem("talkshow-token") || "";
$("token").onchange = () => localStorage.setItem("talkshow-token", $("token").value.trim());

function say(state, error = "") {
  $("state").textContent = state;
  $("error").textContent = error;
}

function headers() {
  const h = { "Content-Type": "application/sdp" };
  const token = $("token").value.trim();
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

async function loadCast() {
  const reply = await fetch("/api/characters");
  if (!reply.ok) return;
  for (const c of await reply.json()) {
    const option = document.createElement("option");
    option.value = c.id;
    option.textContent = c.name || c.id;
    $("character").append(option);
  }
}

function preferH264(transceiver) {
  // The server sends the show's own H.264 packets; ask for H.264 first so no peer needs another encode.
  const caps = RTCRtpReceiver.getCapabilities && RTCRtpReceiver.getCapabilities("video");
  if (!caps || !transceiver.setCodecPreferences) return;
  const h264 = caps.codecs.filter((c) => c.mimeType.toLowerCase() === "video/h264");
  const rest = caps.codecs.filter((c) => c.mimeType.toLowerCase() !== "video/h264");
  if (h264.length) transceiver.setCodecPreferences([...h264, ...rest]);
}

function gathered(peer) {
  // Non-trickle, as WHIP/WHEP: the offer goes out with every candidate in it (or after 2 s).
  if (peer.iceGatheringState === "complete") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => peer.iceGatheringState === "complete" && resolve();
    peer.addEventListener("icegatheringstatechange", done);
    setTimeout(resolve, 2000);
  });
}

async function connect(mode) {
  await hangUp();
  let microphone = null;
  if (mode === "talk") {
    try {
      microphone = await navigator.mediaDevices.getUserMedia({
        audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
      });
    } catch (err) {
      say("not on air", `The microphone is not available (${err.name}): allow it in the browser, or just watch.`);
      return;
    }
  }
  pc = new RTCPeerConnection();
  const video = pc.addTransceiver("video", { direction: "recvonly" });
  preferH264(video);
  if (microphone) pc.addTransceiver(microphone.getAudioTracks()[0], { direction: "sendrecv" });
  else pc.addTransceiver("audio", { direction: "recvonly" });
  const stream = new MediaStream();
  pc.ontrack = (event) => {
    stream.addTrack(event.track);
    $("player").srcObject = stream;
  };
  pc.onconnectionstatechange = () => {
    if (!pc) return;
    if (pc.connectionState === "connected") say(mode === "talk" ? "on air: talk!" : "watching live");
    if (pc.connectionState === "failed") say("not on air", "The connection failed (ICE): no media path to the server.");
  };
  await pc.setLocalDescription(await pc.createOffer());
  await gathered(pc);
  const character = $("character").value;
  let url = mode === "talk" ? `/api/rtc/talk?character=${encodeURIComponent(character)}` : "/api/rtc/watch";
  if (mode === "talk" && tutor) url += `&${lessonChoice()}`;
  say("connecting…");
  const reply = await fetch(url, { method: "POST", headers: headers(), body: pc.localDescription.sdp });
  if (reply.status !== 201) {
    const problem = await reply.json().catch(() => ({ error: reply.statusText }));
    if (reply.status === 401) $("token-box").hidden = false;
    say("not on air", problem.error || `HTTP ${reply.status}`);
    if (microphone) microphone.getTracks().forEach((t) => t.stop());
    pc.close();
    pc = null;
    return;
  }
  sessionUrl = reply.headers.get("Location");
  await pc.setRemoteDescription({ type: "answer", sdp: await reply.text() });
  $("hangup").disabled = false;
}

async function hangUp() {
  if (sessionUrl) await fetch(sessionUrl, { method: "DELETE", headers: headers() }).catch(() => {});
  sessionUrl = null;
  if (pc) {
    pc.getSenders().forEach((s) => s.track && s.track.stop());
    pc.close();
  }
  pc = null;
  $("hangup").disabled = true;
  say("not on air");
}

async function pollCall() {
  const reply = await fetch("/api/rtc/call", { headers: headers() }).catch(() => null);
  if (reply && reply.ok) {
    const call = await reply.json();
    const list = $("history");
    list.replaceChildren(
      ...call.history.map((line) => {
        const item = document.createElement("li");
        item.textContent = `${line.speaker === "caller" ? "You" : line.speaker}: ${line.text}`;
        return item;
      }),
    );
  }
  setTimeout(pollCall, 1000);
}

// A tutor show: each turn's chunks with their text at once, then where each chunk's audio is.
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function chunkItem(chunk) {
  const item = element("li", `chunk ${chunk.kind}`);
  item.dataset.kind = chunk.kind;
  item.dataset.state = chunk.state;
  const state = chunk.state === "ready" || chunk.state === "played" ? `${chunk.state} ${chunk.seconds.toFixed(1)} s` : chunk.state;
  item.append(element("span", "pill state", state), " ");
  if (chunk.kind === "correction") {
    const fix = element("span", "fix");
    fix.append(element("del", "", chunk.wrong), " → ", element("ins", "", chunk.right));
    item.append(fix, " ", element("em", "why", chunk.why), element("div", "said", chunk.text));
  } else {
    item.append(element("span", "said", chunk.text));
  }
  return item;
}

async function pollLesson() {
  const reply = await fetch("/api/tutor/lesson", { headers: headers() }).catch(() => null);
  if (reply && reply.ok) {
    const lesson = await reply.json();
    $("lesson-box").hidden = false;
    $("lesson-level").textContent = `level ${lesson.level}`;
    $("lesson").replaceChildren(
      ...lesson.turns.map((turn) => {
        const item = element("li", "turn");
        item.dataset.turn = turn.turn;
        item.append(element("div", "heard", `You: ${turn.heard}`));
        const chunks = element("ol", "chunks");
        chunks.append(...turn.chunks.map(chunkItem));
        item.append(chunks);
        return item;
      }),
    );
    window.talkshowTalk.lesson = lesson;
    if (lesson.lesson_id && !lesson.on_air && reportShown !== lesson.lesson_id) await showReport(lesson.lesson_id);
  }
  setTimeout(pollLesson, 300);
}

// At the end of a lesson: mistakes by kind, new words, speaking time, words a minute and the lesson's chart.
let reportShown = null;
async function showReport(id) {
  const reply = await fetch(`/api/lessons/${id}`, { headers: headers() }).catch(() => null);
  if (!reply || !reply.ok) return;
  const report = await reply.json();
  reportShown = id;
  const kinds = Object.entries(report.mistakes_by_kind).map(([k, n]) => `${k} ${n}`).join(", ") || "none";
  const rows = [
    ["Mistakes", kinds],
    ["Learned", report.taught.join(", ") || "—"],
    ["New words", report.new_words.join(", ") || "—"],
    ["Speaking time", `${report.speaking_seconds} s`],
    ["Words a minute", `${report.words_per_minute}`],
    ["Errors by type", Object.entries(report.by_type || {}).map(([k, n]) => `${k} ${n}`).join(", ") || report.note || "none"],
    ["Your lessons", (report.trend || []).map((l) => `${l.mistakes_per_100_words}`).join(" → ") + " mistakes per 100 words"],
  ];
  $("report").replaceChildren(...rows.flatMap(([term, value]) => [element("dt", "", term), element("dd", "", value)]));
  const errors = report.errors || [];
  $("report-errors").querySelector("tbody").replaceChildren(...errors.map((e) => {
    const row = element("tr", "error");
    row.append(element("td", "type", e.type), element("td", "", e.said), element("td", "", e.put_right), element("td", "", e.rule));
    return row;
  }));
  $("report-errors").hidden = errors.length === 0;
  $("report-csv").href = `/api/lessons/${id}/report.csv`;
  const chart = await fetch(`/api/lessons/${id}/chart.svg`, { headers: headers() }).catch(() => null);
  if (chart && chart.ok) {
    const svg = new DOMParser().parseFromString(await chart.text(), "image/svg+xml").documentElement;
    $("report-chart").replaceChildren(document.importNode(svg, true));
  }
  $("report-box").hidden = false;
  window.talkshowTalk.report = report;
}

// On a tutor show the page is a lesson page: start a lesson at a level and on a topic, see past lessons and
// open their reports (the last one at once).
let tutor = null;
function lessonChoice() {
  const name = $("learner").value.trim();
  localStorage.setItem("talkshow-learner", name);
  const choice = { level: $("level").value, topic: $("topic").value, learner: name };
  return Object.entries(choice).filter(([, v]) => v).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
}

async function loadPastLessons() {
  const name = $("learner").value.trim();
  if (!name) return;
  const reply = await fetch(`/api/lessons?learner=${encodeURIComponent(name)}`, { headers: headers() }).catch(() => null);
  if (!reply || !reply.ok) return;
  const { lessons } = await reply.json();
  $("past-lessons").replaceChildren(...lessons.map((l) => {
    const item = element("li", "past-lesson");
    const when = new Date(l.started_at * 1000).toLocaleString();
    const open = element("button", "", "report");
    open.onclick = () => showReport(l.id);
    item.append(`${when} · ${l.level} · ${l.turns} turns · ${l.mistakes} mistakes `, open);
    return item;
  }));
  if (lessons.length && reportShown === null) await showReport(lessons[0].id);
}

async function loadTutor() {
  const reply = await fetch("/api/tutor", { headers: headers() }).catch(() => null);
  if (!reply || !reply.ok) return;
  tutor = await reply.json();
  document.title = "talkshow · your English lesson";
  $("call").textContent = "Start a lesson";
  const option = (value) => Object.assign(element("option", "", value), { value });
  $("level").replaceChildren(...tutor.levels.map(option));
  $("level").value = tutor.level;
  $("topic").append(...tutor.topics.map(option));
  $("learner").value = localStorage.getItem("talkshow-learner") || tutor.learner;
  $("learner").onchange = loadPastLessons;
  $("lesson-setup").hidden = false;
  await loadPastLessons();
}

// For tests and curious operators: the live connection and its stats.
window.talkshowTalk = { get pc() { return pc; }, get tutor() { return tutor; } };
$("call").onclick = () => connect("talk");
$("watch").onclick = () => connect("watch");

// When the show publishes to an SFU, "Just watch" hands the viewer to the SFU's player, which fans out.
async function watchThroughSfu() {
  const reply = await fetch("/api/rtc/watch").catch(() => null);
  const where = reply && reply.ok ? await reply.json() : {};
  if (!where.player) return;
  $("watch").title = `watch through the SFU: ${where.player}`;
  $("watch").onclick = () => window.location.assign(where.player);
}
watchThroughSfu();
$("hangup").onclick = hangUp;
window.addEventListener("beforeunload", () => sessionUrl && navigator.sendBeacon && hangUp());
loadCast();
loadTutor();
pollCall();
pollLesson();
