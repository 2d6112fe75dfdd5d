"""The show's memory over HTTP: search it, and forget a person on request (both need the control token)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from talkshow.server.models import PLAIN_NOT_BLANK
from talkshow.server.security import TokenGate, control_dependency
from talkshow.studio.memory import Memory

__all__ = ["memory_router"]

Person = Annotated[str, Path(min_length=1, max_length=200, pattern=PLAIN_NOT_BLANK, description="platform:user_id")]


def memory_router(memory: Memory, gate: TokenGate) -> APIRouter:
    """``GET /api/memory?about=&person=`` and ``DELETE /api/memory/person/{person}``."""
    router = APIRouter(prefix="/api/memory", dependencies=[Depends(control_dependency(gate))])

    @router.get("")
    def search(
        about: Annotated[str, Query(max_length=500)], person: str = "", limit: Annotated[int, Query(ge=1, le=50)] = 10
    ) -> dict[str, Any]:
        found = memory.recall(about, person, limit)
        return {"memories": [m.__dict__ for m in found], "rows": memory.count()}

    @router.delete("/person/{person}")
    def forget(person: Person) -> dict[str, Any]:
        if not person.strip():
            raise HTTPException(400, "name the person: platform:user_id, as the memory shows it")
        return {"person": person, "forgotten": memory.forget_person(person)}

    return router
