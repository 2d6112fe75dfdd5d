"""Stage 2 by a chat model used as a judge: Llama Guard through Ollama, or any OpenAI-compatible model.

Llama Guard answers ``safe``, or ``unsafe`` with the hazard codes on the next line
(``S1``...``S14``); a general model is told to answer the same way. Anything else is
not a judgement, so the gate holds the line.
"""

from __future__ import annotations

import time
from typing import Any

from talkshow.core.kinds.moderation import Verdict
from talkshow.openai_api import Endpoint

__all__ = ["JUDGE_INSTRUCTIONS", "ChatJudge", "create"]

JUDGE_INSTRUCTIONS = (
    "You check lines before they are broadcast on a live family-friendly comedy show. "
    "Answer with one word, 'safe' or 'unsafe'. If unsafe, put the hazard categories on a second line "
    "(hate, harassment, violence, self-harm, sexual, illegal, personal data)."
)


class ChatJudge:
    """Held when the model's first word is ``unsafe``; allowed only on ``safe``."""

    name = "judge"

    def __init__(self, endpoint: Endpoint, model: str, instructions: str = JUDGE_INSTRUCTIONS) -> None:
        self.endpoint = endpoint
        self.model = model
        self.instructions = instructions
        self._client = endpoint.client()

    def check(self, text: str) -> Verdict:
        """One chat completion; raises on HTTP errors, and on an answer that is neither safe nor unsafe."""
        started = time.perf_counter()
        messages = [{"role": "user", "content": text}]
        if self.instructions:  # Llama Guard's own template needs none; a general model does
            messages.insert(0, {"role": "system", "content": self.instructions})
        body = {"model": self.model, "messages": messages, "temperature": 0, "max_tokens": 20, "stream": False}
        response = self._client.post("/chat/completions", json=body)
        response.raise_for_status()
        answer = str(response.json()["choices"][0]["message"]["content"]).strip()
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


def create(options: dict[str, Any]) -> ChatJudge:
    """From ``[moderation.semantic_options]``: ``model`` (e.g. ``llama-guard3:1b``), ``base_url``, ``instructions``."""
    model = str(options.get("model", "")).strip()
    if not model:
        raise ValueError("moderation semantic 'judge' needs a model, e.g. model = \"llama-guard3:1b\"")
    instructions = str(options.get("instructions", "" if "guard" in model.lower() else JUDGE_INSTRUCTIONS))
    return ChatJudge(Endpoint.from_options(options, 5.0), model, instructions)
