"""Chat credentials: from the environment or a file, never the command line, never in logs or events."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from talkshow.chat.reconnect import SourceRevokedError

__all__ = ["secret"]


def secret(options: dict[str, Any], key: str, default_env: str, what: str) -> str:
    """The secret named by ``<key>_env`` (a variable; default ``default_env``) or ``<key>_file`` (a file's
    first line). A secret written into the show file itself is refused: show files get shared."""
    if key in options:
        raise ValueError(f"chat: put {what} in the environment ({key}_env) or a file ({key}_file), not the show file")
    file = options.get(f"{key}_file")
    if file:
        path = Path(str(file)).expanduser()
        try:
            value = path.read_text().strip().splitlines()[0].strip() if path.stat().st_size < 10_000 else ""
        except (OSError, IndexError) as exc:
            raise SourceRevokedError(f"cannot read {what} from {path}: {exc}") from exc
    else:
        value = os.environ.get(str(options.get(f"{key}_env", default_env)), "").strip()
    if not value:
        where = f"the file {file}" if file else f"${options.get(f'{key}_env', default_env)}"
        raise SourceRevokedError(f"{what} is missing: set {where}")
    return value
