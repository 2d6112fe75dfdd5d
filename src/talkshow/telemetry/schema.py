"""The trace schema: every event kind and the fields it always carries.

Every event also has ``kind`` (str), ``t_ms`` (monotonic ms since start) and ``wall``
(Unix seconds). Events may carry more fields than listed; these are the guaranteed
ones. ``docs/telemetry.md`` describes each kind; a test checks real traces against this.
"""

from __future__ import annotations

from typing import Any

__all__ = ["COMMON_FIELDS", "EVENT_FIELDS", "schema_errors"]

Num = (int, float)
COMMON_FIELDS: dict[str, Any] = {"kind": str, "t_ms": Num, "wall": Num}

EVENT_FIELDS: dict[str, dict[str, Any]] = {
    # setup and lifetime
    "stage_ready": {"ms": Num},
    "stream_started": {"fps": int, "ahead_frames": int},
    "stream_stopped": {"frames": int, "late": int, "repeated": int, "max_lateness_ms": Num, "samples": int},
    "render_done": {"frames": int, "turns": int, "wall_s": Num, "fps": Num},
    "resources": {"cpu_cores": Num, "rss_mb": Num, "peak_rss_mb": Num},
    # writer
    "show_started": {"show": int, "topic": str, "turns": int},
    "show_done": {"show": int, "frame": int, "outcome": str},
    "line_writing": {"turn": int},
    "line_written": {"turn": int, "speaker": str, "chars": int, "emotion": str, "ms": Num, "text": str},
    "llm_first_token": {"model": str, "ms": Num},
    "brain_restarted": {"restarts": int},
    "writer_error": {"writer": str, "error": str},
    "writer_breaker": {"writer": str, "state": str, "error": str, "open_s": Num},
    "dead_air": {"first_frame": int, "frames": int, "seconds": Num},
    "writer_fallback": {"writer": str, "after_lines": int, "error": str},
    # moderation
    "line_moderated": {"source": str, "allowed": bool, "stage": str, "ms": Num},
    "line_held": {"source": str, "allowed": bool, "stage": str, "reason": str, "text": str, "who": str, "unsure": bool},
    "moderation_error": {"moderator": str, "error": str},
    "held_line_decided": {"id": int, "decision": str, "source": str, "aired": bool},
    # chat
    "chat_source": {"source": str, "state": str, "detail": str},
    "chat_quota": {"source": str, "units_left": int, "units_per_day": int},
    "chat_removal": {"platform": str, "reason": str},
    "chat_answer_removed": {"platform": str, "reason": str, "on_air": bool},
    "guest_card": {"name": str, "shown": bool},
    "chat_question_aired": {
        "platform": str,
        "character": str,
        "turn": int,
        "question": str,
        "answer": str,
        "since_arrival_ms": Num,
    },
    "chat_topic_queued": {"topic": str, "votes": int},
    "caller_heard": {"text": str, "topic": str, "person": str},
    "delay_dumped": {"seconds": Num, "video_packets": int, "audio_packets": int},
    # voice and lip sync
    "tts_start": {"engine": str, "chars": int},
    "tts_first_audio": {"engine": str, "ms": Num},
    "tts_done": {"ms": Num, "chars": int, "audio_s": Num},
    "tts_cached": {"chars": int, "audio_s": Num},
    "tts_engine_done": {"engine": str, "chars": int, "billed_chars": int, "rtf": Num},
    "tts_error": {"engine": str, "voice": str, "attempt": int, "error": str},
    "lipsync_ready": {"turn": int, "cues": int, "method": str, "ms": Num},
    "turn_ready": {"turn": int, "speaker": str, "audio_s": Num, "write_ms": Num, "tts_ms": Num, "prep_ms": Num},
    "turn_error": {"turn": int, "attempt": int, "error": str},
    "turn_skipped": {"turn": int, "speaker": str, "error": str},
    # on air
    "turn_on_air": {"turn": int, "speaker": str, "frame": int, "gap_frames": int, "gap_s": Num},
    "turn_done": {"turn": int, "frame": int},
    "turn_aired": {"turn": int, "speaker": str, "source": str, "frame": int, "ready_to_air_ms": Num},
    "turn_off_air": {"turn": int, "frame": int},
    "queue_cut": {"dropped": int, "resume_frame": int},
    "frame": {"frame": int, "compose_ms": Num},
    "frame_late": {"frame": int, "lateness_ms": Num},
    "frame_repeated": {"frame": int, "reason": str},
    "frame_dropped": {"frame": int, "reason": str},
    "degrade": {"level": int, "queue_depth": int},
    "tv_frames_dropped": {"count": int, "total": int},
    "renderer_failed": {"error": str},
    "turn_cut": {"turn": int, "speaker": str, "error": str},
    "barge_in_cut": {"dropped": int, "resume_frame": int},
    # talk mode
    "talk_started": {"session": str, "character": str},
    "talk_ended": {"session": str, "reason": str, "exchanges": int},
    "talk_error": {"session": str, "error": str},
    "user_speech_start": {"session": str, "sample": int},
    "turn_judged": {"session": str, "exchange": int, "probability": Num, "ms": Num},
    "user_speech_end": {"session": str, "exchange": int, "start_sample": int, "end_sample": int, "speech_ms": Num},
    "stt_final": {"session": str, "exchange": int, "text": str, "ms": Num},
    "barge_in": {
        "session": str,
        "exchange": int,
        "cut_ms": Num,
        "heard_chars": int,
        "aired_chars": int,
        "caller_behind_ms": Num,
    },
    "talk_handed_over": {"session": str, "before": str, "after": str},
    "reply_paused": {"session": str, "exchange": int, "cut_ms": Num},
    "reply_resumed": {"session": str, "exchange": int},
    "reply_abandoned": {"session": str, "exchange": int},
    "talk_exchange": {
        "session": str,
        "exchange": int,
        "turn_end_ms": Num,
        "stt_final_ms": Num,
        "first_sentence_ms": Num,
        "first_audio_ms": Num,
        "on_air_ms": Num,
        "first_packet_ms": Num,
        "answer_audio_ms": Num,  # the first sentence that depends on what was heard (after any acknowledgement)
        "answer_on_air_ms": Num,
    },
    # phone bridges
    "phone_call": {"call": str, "transport": str, "caller": str},
    "phone_dtmf": {"call": str, "digit": str, "action": str},
    "phone_call_ended": {"call": str, "transport": str, "caller": str, "state": str, "seconds": Num, "reason": str},
    # supervision
    "part_state": {"part": str, "state": str, "error": str, "restarts": int},
    "stream_failed": {"reason": str},
    # outputs
    "segment_published": {"sequence": int, "first_frame": int, "frames": int, "duration": Num, "latency_first_ms": Num},
    "segment_dropped": {"first_frame": int},
    "ll_part_published": {"msn": int, "part": int, "duration": Num, "bytes": int},
    "whip_published": {"endpoint": str, "publishes": int},
    "whip_retry": {"endpoint": str, "reason": str, "wait_s": Num},
    "rtmp_connecting": {"url": str, "attempt": int},
    "rtmp_connected": {"url": str},
    "rtmp_disconnected": {"url": str},
    "rtmp_error": {"url": str, "error": str},
    "rtmp_input_error": {"error": str},
    "rtmp_pusher_restart": {"url": str, "error": str},
}


def schema_errors(event: dict[str, Any]) -> list[str]:
    """What is wrong with one trace record (empty if it matches the schema)."""
    kind = event.get("kind")
    if kind not in EVENT_FIELDS:
        return [f"unknown event kind {kind!r}"]
    errors = []
    for name, kinds in {**COMMON_FIELDS, **EVENT_FIELDS[kind]}.items():
        if name not in event:
            errors.append(f"{kind}: missing field {name!r}")
        elif (isinstance(event[name], bool) and kinds is not bool) or not isinstance(event[name], kinds):
            errors.append(f"{kind}: field {name!r} is {type(event[name]).__name__}, not {kinds}")
    return errors
