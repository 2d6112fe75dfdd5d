// The overlay: the cast on a transparent canvas, drawn from their own sprites, voiced on the audio clock.
//
// Each frame from /api/overlay/feed carries the sprites to draw and the frame's 1600 samples. The
// samples are scheduled on the AudioContext a little ahead (LEAD_S, the jitter buffer); the frame's
// picture is drawn when the audio being heard reaches it, so the mouth and the voice agree on the
// page however the frames arrived. Query parameters: captions=1, position=top|bottom, size (px),
// font (a CSS family), color.
"use strict";

(() => {
  const LEAD_S = 0.12;  // how far ahead of the clock frames are scheduled: covers the network's jitter
  const MAX_AHEAD_S = 1.0;  // further ahead than this (the clock stalled, then ran): start again
  const params = new URLSearchParams(location.search);
  const parts = location.pathname.split("/").filter(Boolean);
  const character = parts.length > 1 ? decodeURIComponent(parts[1]) : "";
  const canvas = document.getElementById("stage");
  const draw = canvas.getContext("2d");
  const caption = document.getElementById("caption");
  const soundButton = document.getElementById("sound");
  const audio = new AudioContext({ sampleRate: 48000, latencyHint: "interactive" });
  const output = audio.createGain();
  output.connect(audio.destination);

  const state = { received: 0, drawn: 0, late: 0, frame: -1, greeting: null };
  let images = [];
  let origin = [0, 0];
  let anchor = null;  // {frame, time, clock}: when stream frame `frame` plays, on clock `clock`
  let pending = [];  // frames scheduled, not yet shown: {time, items, text, speaker}
  let shown = null;

  function styleCaptions() {
    caption.hidden = !["1", "on", "true", "yes"].includes((params.get("captions") || "").toLowerCase());
    if (params.get("position") === "top") caption.classList.add("top");
    const size = Number(params.get("size"));
    if (size >= 8 && size <= 200) caption.style.setProperty("--size", `${size}px`);
    const font = params.get("font");
    if (font && /^[\w ,'"-]{1,80}$/.test(font)) caption.style.setProperty("--font", font);
    const color = params.get("color");
    if (color && /^(#[0-9a-f]{3,8}|[a-z]{3,20})$/i.test(color)) caption.style.setProperty("--color", color);
  }

  // The clock frames are timed on: the audio's while it runs (what is heard), the page's while it cannot.
  function clockNow() {
    return audio.state === "running" ? audio.currentTime : performance.now() / 1000;
  }

  function heardTime() {
    if (audio.state !== "running") return performance.now() / 1000;
    const stamp = audio.getOutputTimestamp ? audio.getOutputTimestamp() : null;
    if (stamp && stamp.contextTime > 0) {
      return stamp.contextTime + (performance.now() - stamp.performanceTime) / 1000;
    }
    return audio.currentTime - (audio.outputLatency || audio.baseLatency || 0);
  }

  function schedule(frame, samples, fps) {
    const clock = audio.state === "running" ? "audio" : "page";
    const now = clockNow();
    let time = anchor && anchor.clock === clock ? anchor.time + (frame - anchor.frame) / fps : -1;
    if (time < now + 0.005 || time > now + MAX_AHEAD_S) {
      if (anchor) state.late += 1;
      anchor = { frame, time: now + LEAD_S, clock };
      time = anchor.time;
    }
    if (samples && clock === "audio") {
      const buffer = audio.createBuffer(1, samples.length, 48000);
      const channel = buffer.getChannelData(0);
      for (let i = 0; i < samples.length; i += 1) channel[i] = samples[i] / 32768;
      const source = audio.createBufferSource();
      source.buffer = buffer;
      source.connect(output);
      source.start(time);
    }
    return time;
  }

  function onFrame(data, fps) {
    const view = new DataView(data);
    const headLength = view.getUint32(0, true);
    const head = JSON.parse(new TextDecoder().decode(new Uint8Array(data, 4, headLength)));
    const rest = data.byteLength - 4 - headLength;
    const samples = rest > 0 ? new Int16Array(data.slice(4 + headLength)) : null;
    state.received += 1;
    const time = schedule(head.f, samples, fps);
    pending.push({ time, frame: head.f, items: head.items, text: head.text, speaker: head.speaker });
    if (pending.length > 90) pending = pending.slice(-90);
  }

  function render() {
    const heard = heardTime();
    let next = shown;
    while (pending.length && pending[0].time <= heard) next = pending.shift();
    if (next !== shown) {
      const same = shown && JSON.stringify(shown.items) === JSON.stringify(next.items);
      if (!same) {
        draw.clearRect(0, 0, canvas.width, canvas.height);
        for (const [sprite, x, y] of next.items) {
          const image = images[sprite];
          if (image) draw.drawImage(image, x - origin[0], y - origin[1]);
        }
        state.drawn += 1;
      }
      if (!caption.hidden && (!shown || shown.text !== next.text)) caption.textContent = next.text;
      state.frame = next.frame;
      shown = next;
    }
    soundButton.hidden = audio.state === "running";
    requestAnimationFrame(render);
  }

  async function loadSprites() {
    const response = await fetch("/api/overlay/sprites");
    const sheet = await response.json();
    images = await Promise.all(sheet.sprites.map((url) => {
      const image = new Image();
      image.src = url;
      return image.decode().then(() => image);
    }));
  }

  function connect(fps) {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const query = character ? `?character=${encodeURIComponent(character)}` : "";
    const socket = new WebSocket(`${scheme}://${location.host}/api/overlay/feed${query}`);
    socket.binaryType = "arraybuffer";
    socket.onmessage = (event) => {
      if (typeof event.data === "string") {
        if (JSON.stringify(JSON.parse(event.data)) !== JSON.stringify(state.greeting)) location.reload();
        return;
      }
      onFrame(event.data, fps);
    };
    socket.onclose = () => setTimeout(() => connect(fps), 1000);  // a restart or "too slow": come back
  }

  async function start() {
    styleCaptions();
    const query = character ? `?character=${encodeURIComponent(character)}` : "";
    const response = await fetch(`/api/overlay${query}`);
    const greeting = await response.json();
    if (!response.ok) throw new Error(greeting.error || `overlay: ${response.status}`);
    state.greeting = greeting;
    const box = character ? greeting.characters[character].box : [0, 0, greeting.width, greeting.height];
    origin = [box[0], box[1]];
    canvas.width = box[2] - box[0];
    canvas.height = box[3] - box[1];
    await loadSprites();
    connect(greeting.fps);
    requestAnimationFrame(render);
  }

  const resume = () => audio.resume();
  document.addEventListener("pointerdown", resume);
  soundButton.addEventListener("click", resume);
  // For tests and the curious: the clocks, the output node and what arrived.
  window.talkshowOverlay = { audio, output, canvas, heardTime, state };
  start().catch((error) => {
    caption.hidden = false;
    caption.textContent = String(error.message || error);
  });
})();
