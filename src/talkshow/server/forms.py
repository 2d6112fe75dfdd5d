"""The ``/api/say`` form, read into memory with a hard size limit.

Starlette's form parser spools any file part over 1 MB to a temporary file. The
studio promises that uploads never touch the disk, so this reads the body itself,
counting bytes as they arrive, and parses it with a parser whose spool never rolls
over (the body it is fed is already bounded).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass

from fastapi import HTTPException, Request
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser

from talkshow.core.lines import EMOTIONS
from talkshow.server.models import PLAIN_NOT_BLANK, PLAIN_TEXT, text_problem

__all__ = ["SAY_FORM_SCHEMA", "SayForm", "read_say_form"]

_FORM_SLACK = 64 * 1024  # the text fields and multipart framing around the clip


@dataclass(frozen=True)
class SayForm:
    """What ``/api/say`` was asked to put on air."""

    character: str
    text: str
    emotion: str
    audio: bytes | None


class _InMemoryMultiPartParser(MultiPartParser):
    """Keeps file parts in memory: the body it reads is bounded before it gets here."""

    spool_max_size = 2**31  # never roll over to disk; the request body is limited well below this


async def read_say_form(request: Request, max_upload: int) -> SayForm:
    """Read and check the form; raises HTTPException naming what was wrong."""
    limit = max_upload + _FORM_SLACK
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise HTTPException(413, f"request body is over {limit} bytes; uploads are limited to 20 MB")

    async def replay() -> AsyncGenerator[bytes, None]:
        yield bytes(body)

    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith("multipart/form-data"):
            form = await _InMemoryMultiPartParser(request.headers, replay(), max_files=1, max_fields=8).parse()
        elif content_type.startswith("application/x-www-form-urlencoded") or not content_type:
            form = await FormParser(request.headers, replay()).parse()
        else:
            raise HTTPException(415, f"body: send a form (multipart/form-data), not {content_type[:60]!r}")
    except MultiPartException as exc:
        raise HTTPException(400, f"body: malformed form ({exc.message})") from exc
    try:
        return await _say_form(form, max_upload)
    finally:
        await form.close()


async def _say_form(form: FormData, max_upload: int) -> SayForm:
    fields: dict[str, str] = {}
    for name in ("character", "text", "emotion"):
        value = form.get(name)
        if isinstance(value, UploadFile):
            raise HTTPException(422, f"{name}: must be a text field, not a file")
        if value is not None:
            problem = text_problem(name, value)
            if problem:
                raise HTTPException(400, problem)
            fields[name] = value
    if "character" not in fields:
        raise HTTPException(422, "character: Field required")
    audio: bytes | None = None
    upload = form.get("audio")
    if isinstance(upload, UploadFile):
        audio = await upload.read()
        if len(audio) > max_upload:
            raise HTTPException(413, f"audio is larger than {max_upload // 2**20} MB")
    elif isinstance(upload, str) and upload:
        raise HTTPException(422, "audio: must be a file upload")
    return SayForm(fields["character"], fields.get("text", ""), fields.get("emotion", "neutral"), audio)


SAY_FORM_SCHEMA = {  # the form as OpenAPI shows it (the route reads it by hand, see above)
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["character"],
                    "maxProperties": 8,  # the parser reads at most eight fields, so none repeated
                    "additionalProperties": {"type": ["string", "number", "boolean", "null", "object"]},
                    "anyOf": [  # something to say: words, or a clip
                        {"required": ["text"], "properties": {"text": {"pattern": PLAIN_NOT_BLANK}}},
                        {"required": ["audio"]},
                    ],
                    "properties": {
                        "character": {"type": "string", "description": "a character id from GET /api/characters"},
                        "text": {
                            "type": "string",
                            "maxLength": 400,
                            "pattern": PLAIN_TEXT,
                            "description": "what to say (or the clip's words)",
                        },
                        "emotion": {"type": "string", "default": "neutral", "enum": list(EMOTIONS)},
                        "audio": {
                            "type": "string",
                            "format": "binary",
                            "description": "WAV, MP3 or OGG, ≤ 20 MB, ≤ 120 s",
                        },
                    },
                }
            }
        },
    }
}
