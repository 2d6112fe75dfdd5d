"""Stage 2 by OpenAI's moderation endpoint (``POST /v1/moderations``), or any server that speaks it."""

from __future__ import annotations

import time
from typing import Any

import httpx

from talkshow.core.kinds.moderation import Verdict
from talkshow.openai_api import Endpoint

__all__ = ["OpenAIModeration", "create"]


class OpenAIModeration:
    """Held when the endpoint flags the line; its flagged categories are the reason."""

    name = "openai"

    def __init__(self, endpoint: Endpoint, model: str = "omni-moderation-latest") -> None:
        self.endpoint = endpoint
        self.model = model
        self._client = endpoint.client()

    def check(self, text: str) -> Verdict:
        """Ask the endpoint; an HTTP error or an answer without a result raises (the gate holds the line)."""
        started = time.perf_counter()
        response = self._client.post("/moderations", json={"model": self.model, "input": text})
        response.raise_for_status()
        result = _first_result(response.json())
        categories = tuple(sorted(name for name, hit in dict(result.get("categories", {})).items() if hit))
        scores = dict(result.get("category_scores", {}))
        top = max((float(v) for v in scores.values()), default=None)
        ms = (time.perf_counter() - started) * 1000
        if bool(result.get("flagged")):
            reason = "flagged: " + (", ".join(categories) or "unspecified")
            return Verdict(False, reason, self.name, score=top, categories=categories, ms=ms)
        return Verdict(True, stage=self.name, score=top, ms=ms)

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()


def _first_result(body: Any) -> dict[str, Any]:
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list) or not results or not isinstance(results[0], dict):
        raise httpx.DecodingError("the moderation answer has no results")
    return results[0]


def create(options: dict[str, Any]) -> OpenAIModeration:
    """From ``[moderation.semantic_options]``: ``base_url``, ``api_key_env``, ``model``, ``timeout``."""
    return OpenAIModeration(Endpoint.from_options(options, 5.0), str(options.get("model", "omni-moderation-latest")))
