"""The studio's REST API: shows and the topic queue, control, cast, voices, lines pushed on air."""

from __future__ import annotations

import asyncio
import os
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request

from talkshow.audio import AudioDecodeError, AudioTooLongError
from talkshow.broadcast.hls import PLAYLIST_NAME
from talkshow.core.errors import InputError, LineHeldError, QueueFullError, UnknownCharacterError
from talkshow.server.forms import SAY_FORM_SCHEMA, read_say_form
from talkshow.server.models import MAX_TOPIC_CHARS, ControlState, QueueOrder, ShowRequest, text_problem
from talkshow.server.openapi_truth import CONFLICT, NOT_FOUND, TOO_MANY
from talkshow.server.security import RateLimiter, TokenGate, control_dependency
from talkshow.studio.store import ShowNotFoundError
from talkshow.studio.studio import Studio

__all__ = ["MAX_FORM_BYTES", "MAX_QUEUED_SHOWS", "MAX_UPLOAD_BYTES", "api_router", "status_snapshot"]

MAX_UPLOAD_BYTES = 20 * 2**20
MAX_FORM_BYTES = MAX_UPLOAD_BYTES + 64 * 1024  # the clip plus the form around it
MAX_QUEUED_SHOWS = 100
MAX_ID = 2**63 - 1  # SQLite's largest integer; a bigger id cannot exist
Json = dict[str, Any]
SAY_REFUSALS = NOT_FOUND | TOO_MANY  # no such character; too much waits for air
ShowId = Annotated[int, Path(ge=1, le=MAX_ID, description="a show id from GET /api/shows")]


def status_snapshot(studio: Studio) -> Json:
    """The counters a studio page shows: frames, late frames, turn gaps, what is on air."""
    return {"playlist": f"/hls/{PLAYLIST_NAME}", **studio.show.status()}


def api_router(studio: Studio, gate: TokenGate, topic_limiter: RateLimiter) -> APIRouter:
    """Routes under ``/api``; control routes check ``gate``, topic submissions ``topic_limiter``."""
    router = APIRouter(prefix="/api")
    show, store, hub, catalog = studio.show, studio.store, studio.hub, studio.catalog

    control = control_dependency(gate)

    controlled = [Depends(control)]

    def publish_queue() -> list[Json]:
        queue = [r.as_dict() for r in store.queued()]
        hub.publish("queue", queue)
        return queue

    def queue_show(body: ShowRequest, request: Request) -> Json:
        topic = " ".join(body.topic.split())
        problems = []
        problem = text_problem("topic", topic)
        if problem:
            problems.append(problem)
        elif not topic:
            problems.append("topic: empty; give the show something to talk about")
        elif len(topic) > MAX_TOPIC_CHARS:
            problems.append(f"topic: {len(topic)} characters; the limit is {MAX_TOPIC_CHARS}")
        elif (verdict := show.gate.review(topic, "operator")).held:  # the topic is on screen and in every prompt
            problems.append(f"topic: held by moderation ({verdict.reason})")
        cast = [c.model_dump(exclude_none=True) for c in body.cast]
        problems += catalog.problems(cast, body.writer, body.turns)
        if problems:
            raise HTTPException(400, "; ".join(problems))
        if len(store.queued()) >= MAX_QUEUED_SHOWS:
            raise HTTPException(409, f"the queue is full ({MAX_QUEUED_SHOWS} shows); delete some or wait")
        client = request.client.host if request.client else "unknown"
        wait = topic_limiter.retry_after(client)
        if wait:
            raise HTTPException(
                429, f"too many topics: try again in {wait:.0f} s", headers={"Retry-After": str(max(1, round(wait)))}
            )
        record = store.add_show(topic, cast, body.writer, body.turns)
        publish_queue()
        return record.as_dict()

    @router.get("/status")
    def status() -> Json:
        """Counters and what is on air."""
        return status_snapshot(studio)

    @router.get("/shows")
    def list_shows(limit: int = 50) -> Json:
        """Shows, newest first, of every status: queued, on_air, done, skipped, failed."""
        return {"shows": [r.as_dict() for r in store.shows(max(1, min(limit, 500)))]}

    @router.post("/shows", status_code=201, dependencies=controlled, responses=CONFLICT | TOO_MANY)
    def create_show(body: ShowRequest, request: Request) -> Json:
        """Queue a show with its own cast, voices and writer."""
        return queue_show(body, request)

    @router.get("/shows/{show_id}")
    def get_show(show_id: ShowId) -> Json:
        """One show with its transcript."""
        try:
            record = store.show(show_id)
        except ShowNotFoundError as exc:
            raise HTTPException(404, str(exc)) from exc
        return {**record.as_dict(), "lines": [line.as_dict() for line in store.lines(show_id)]}

    @router.delete("/shows/{show_id}", dependencies=controlled, responses=CONFLICT)
    def delete_show(show_id: ShowId) -> Json:
        """Remove a queued or finished show and its transcript (skip a show on air first)."""
        try:
            record = store.delete_show(show_id)
        except ShowNotFoundError as exc:
            raise HTTPException(404, str(exc)) from exc
        except InputError as exc:
            raise HTTPException(409, str(exc)) from exc
        publish_queue()
        return {"deleted": record.as_dict()}

    @router.get("/topics")
    def list_queue() -> Json:
        """The queue, next show first."""
        return {"queue": [r.as_dict() for r in store.queued()]}

    @router.post("/topics", status_code=201, dependencies=controlled, responses=CONFLICT | TOO_MANY)
    def add_topic(body: ShowRequest, request: Request) -> Json:
        """Add a topic to the end of the queue (rate-limited per client)."""
        return queue_show(body, request)

    @router.put("/topics/order", dependencies=controlled, responses=CONFLICT)
    def reorder_queue(body: QueueOrder) -> Json:
        """Reorder the queue: ``ids`` lists every queued show once, next first."""
        try:
            store.reorder(body.ids)
        except InputError as exc:
            raise HTTPException(409, f"cannot reorder: {exc}") from exc
        return {"queue": publish_queue()}

    def control_state() -> ControlState:
        return ControlState(holding=show.holding, show=show.current_show_id)

    @router.post("/control/start", dependencies=controlled)
    def start() -> ControlState:
        """Run shows from the queue (after a stop)."""
        show.resume()
        return control_state()

    @router.post("/control/skip", dependencies=controlled)
    def skip() -> ControlState:
        """End the current show after the line on air; the next one starts after the usual gap."""
        show.skip()
        return control_state()

    @router.post("/control/stop", dependencies=controlled)
    def stop() -> ControlState:
        """End the current show and start no other; the stream stays up on the idle scene."""
        show.hold()
        return control_state()

    @router.post("/control/dump", dependencies=controlled, responses=CONFLICT)
    def dump() -> Json:
        """The broadcast delay's dump: what is held never reaches HLS, RTMP or the recording."""
        try:
            return dict(show.dump())
        except InputError as exc:
            raise HTTPException(409, str(exc)) from exc

    @router.get("/lines")
    def recent_lines(limit: int = 100) -> Json:
        """The latest transcript lines of every show (and lines pushed with /api/say), oldest first."""
        return {"lines": [line.as_dict() for line in store.lines(limit=max(1, min(limit, 1000)))]}

    @router.get("/characters")
    def characters() -> list[Json]:
        """The characters on stage: id, name, character pack and voice."""
        return [
            # A pack by its name only: an imported pack's folder would show the server's paths to any client.
            {
                "id": m.id,
                "name": m.name,
                "pack": os.path.basename(m.pack),
                "voice": m.voice.describe(),
                "engine": m.voice.engine,
            }
            for m in show.config.cast
        ]

    @router.get("/voices")
    def voices() -> Json:
        """Installed voices by TTS engine, and the writers a show may pick."""
        return {"engines": studio.voices, "writers": catalog.describe_writers()}

    @router.post(
        "/say", status_code=202, dependencies=controlled, openapi_extra=SAY_FORM_SCHEMA, responses=SAY_REFUSALS
    )
    async def say(request: Request) -> Json:
        """Put a line on air next: text in the character's voice, or an audio clip (WAV, MP3, OGG).

        The form is read into memory only (never spooled to disk), after the token check.
        """
        form = await read_say_form(request, MAX_UPLOAD_BYTES)
        try:
            turn = await asyncio.to_thread(show.say, form.character, form.text, form.audio, form.emotion)
        except UnknownCharacterError as exc:
            raise HTTPException(404, str(exc)) from exc
        except AudioTooLongError as exc:
            raise HTTPException(413, str(exc)) from exc
        except AudioDecodeError as exc:
            raise HTTPException(415, str(exc)) from exc
        except LineHeldError as exc:  # the studio lists it under held lines; the operator may approve it
            raise HTTPException(
                422, f"held by moderation ({exc.stage}: {exc.reason}); it waits under held lines"
            ) from exc
        except QueueFullError as exc:
            raise HTTPException(429, str(exc), headers={"Retry-After": str(round(exc.retry_after_s))}) from exc
        except InputError as exc:
            raise HTTPException(400, str(exc)) from exc
        return {
            "turn": turn.index,
            "character": turn.line.speaker,
            "audio_s": round(turn.timings.get("line_audio_s", len(turn.audio) / show.clock.sample_rate), 3),
            "parts": int(turn.timings.get("parts", 1)),
            "first_audio_ms": round(turn.timings.get("tts_ms", 0.0), 3),
            "prep_ms": round(turn.timings["prep_ms"], 3),
            "decode_ms": round(turn.timings.get("decode_ms", 0.0), 3),
        }

    return router
