"""Stage 2 by a chat model used as a judge: Llama Guard through Ollama, or any OpenAI-compatible model.

Llama Guard answers ``safe``, or ``unsafe`` with the hazard codes on the next line
(``S1``...``S14``); a general model is told to answer the same way. Anything else is
not a judgement, so the gate holds the line. With ``structured`` the answer is held to a
JSON schema by the server's grammar (``response_format`` with a ``schema``, as llama.cpp's
server and Ollama take it): a verdict and a category, nothing else can come out.
"""

from __future__ import annotations

import json
import time
from typing import Any

from talkshow.core.kinds.moderation import Verdict
from talkshow.openai_api import Endpoint

__all__ = ["CATEGORIES", "JUDGE_INSTRUCTIONS", "VERDICT_SCHEMA", "ChatJudge", "create"]

JUDGE_INSTRUCTIONS = (
    "You check lines before they are broadcast on a live family-friendly comedy show. "
    "Answer with one word, 'safe' or 'unsafe'. If unsafe, put the hazard categories on a second line "
    "(hate, harassment, violence, self-harm, sexual, illegal, personal data)."
)

CATEGORIES = ("none", "hate", "harassment", "violence", "self-harm", "sexual", "illegal", "personal data")
VERDICT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"verdict": {"type": "string", "enum": ["safe", "unsafe"]},
                   "category": {"type": "string", "enum": list(CATEGORIES)}},
    "required": ["verdict", "category"],
}  # fmt: skip


class ChatJudge:
    """Held when the model's first word is ``unsafe``; allowed only on ``safe``."""

    name = "judge"

    def __init__(
        self, endpoint: Endpoint, model: str, instructions: str = JUDGE_INSTRUCTIONS, structured: bool = False
    ) -> None:
        self.endpoint = endpoint
        self.model = model
        self.instructions = instructions
        self.structured = structured
        self._client = endpoint.client()

    def check(self, text: str) -> Verdict:
        """One chat completion; raises on HTTP errors, and on an answer that is neither safe nor unsafe."""
        started = time.perf_counter()
        messages = [{"role": "user", "content": text}]
        if self.instructions:  # Llama Guard's own template needs none; a general model does
            messages.insert(0, {"role": "system", "content": self.instructions})
        body: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": 0, "max_tokens": 20,
                                "stream": False}  # fmt: skip
        if self.structured:
            body |= {"max_tokens": 40, "response_format": {"type": "json_object", "schema": VERDICT_SCHEMA}}
        response = self._client.post("/chat/completions", json=body)
        response.raise_for_status()
        answer = str(response.json()["choices"][0]["message"]["content"]).strip()
        if self.structured:
            answer = _from_json(answer)
        words = answer.lower().split()
        ms = (time.perf_counter() - started) * 1000
        if words and words[0].strip(".:") == "safe":
            return Verdict(True, stage=self.name, ms=ms)
        if words and words[0].strip(".:") == "unsafe":
            categories = tuple(answer.split(None, 1)[1].replace(",", " ").split()) if len(words) > 1 else ()
            return Verdict(False, "judged unsafe: " + (", ".join(categories) or "unspecified"), self.name,
                           categories=categories, ms=ms)  # fmt: skip
        raise ValueError(f"the judge answered neither safe nor unsafe: {answer[:80]!r}")

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()


def _from_json(answer: str) -> str:
    """``{"verdict": "unsafe", "category": "violence"}`` -> ``unsafe\nviolence``; anything else raises."""
    try:
        data = json.loads(answer)
        verdict, category = str(data["verdict"]), str(data["category"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"the judge's answer is not the verdict JSON: {answer[:80]!r}") from exc
    return verdict if verdict == "safe" or category == "none" else f"{verdict}\n{category}"


def create(options: dict[str, Any]) -> ChatJudge:
    """From ``[moderation.judge]``: ``model`` (e.g. ``llama-guard3:1b``), ``base_url``, ``instructions``,
    ``structured`` (hold the answer to the verdict's JSON schema)."""
    model = str(options.get("model", "")).strip()
    if not model:
        raise ValueError("moderation semantic 'judge' needs a model, e.g. model = \"llama-guard3:1b\"")
    instructions = str(options.get("instructions", "" if "guard" in model.lower() else JUDGE_INSTRUCTIONS))
    structured = options.get("structured", False)
    if not isinstance(structured, bool):
        raise ValueError(f"moderation judge: structured must be true or false, got {structured!r}")
    return ChatJudge(Endpoint.from_options(options, 5.0), model, instructions, structured)
