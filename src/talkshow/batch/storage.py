"""Where finished episodes go: a folder every node sees, or an object store, through fsspec.

fsspec is the file-system layer pandas, Dask and Ray Data use: one API over local paths, NFS,
S3 (``s3://``, with the ``s3`` extra: s3fs), GCS and Azure. An episode is made whole before
anyone can see it: in a folder it is written under a hidden ``.part`` name and renamed (a
rename within a folder is atomic); in an object store it is uploaded in one PUT, which
shows the whole object or none. The manifest is written the same way, by the driver alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

from talkshow.core.errors import InputError

__all__ = ["MANIFEST", "EpisodeStore"]

MANIFEST = "manifest.json"
PARTIAL = ".part"


class EpisodeStore:
    """The output folder of a batch, named by a path or an fsspec URL."""

    def __init__(self, url: str) -> None:
        try:
            self.fs, root = fsspec.core.url_to_fs(url)
        except (ImportError, ValueError) as exc:  # an unknown protocol, or its library is not installed
            raise InputError(f"--out {url!r}: {exc}") from exc
        self.url = url
        self.root = root.rstrip("/")
        self.local = isinstance(self.fs, LocalFileSystem)
        self.fs.makedirs(self.root, exist_ok=True)

    def path(self, file_name: str) -> str:
        """A file's path in the store."""
        return f"{self.root}/{file_name}"

    def exists(self, file_name: str) -> bool:
        """Whether a finished file of that name is there."""
        return bool(self.fs.exists(self.path(file_name)))

    @contextlib.contextmanager
    def staging(self, file_name: str) -> Iterator[Path]:
        """A local path to write ``file_name`` to; published whole when the block ends, removed if it fails."""
        if self.local:  # beside its final name, so publishing is a rename
            staged = Path(self.root) / f".{file_name}.{uuid.uuid4().hex[:12]}{PARTIAL}{Path(file_name).suffix}"
            try:
                yield staged
                os.replace(staged, self.path(file_name))
            finally:
                staged.unlink(missing_ok=True)
            return
        folder = Path(tempfile.mkdtemp(prefix="talkshow-episode-"))
        try:
            yield folder / file_name
            self.fs.put_file(str(folder / file_name), self.path(file_name))
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def sweep_partials(self) -> list[str]:
        """Remove what a killed or cancelled render left half-written; the paths removed."""
        if not self.local:  # an object store holds only whole uploads
            return []
        removed = []
        for path in Path(self.root).glob(f".*{PARTIAL}*"):
            path.unlink(missing_ok=True)
            removed.append(str(path))
        return removed

    def read_manifest(self) -> dict[str, dict[str, Any]]:
        """The episodes already done, by name ({} if there is no manifest yet)."""
        path = self.path(MANIFEST)
        if not self.fs.exists(path):
            return {}
        try:
            data = json.loads(self.fs.cat_file(path))
            return {entry["name"]: entry for entry in data["episodes"]}
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{self.url}: {MANIFEST} is not a talkshow manifest: {exc}") from exc

    def write_manifest(self, entries: dict[str, dict[str, Any]]) -> None:
        """Replace the manifest whole (episodes in name order)."""
        text = json.dumps({"episodes": [entries[name] for name in sorted(entries)]}, indent=2) + "\n"
        if self.local:
            staged = Path(self.root) / f".{MANIFEST}.{uuid.uuid4().hex[:12]}{PARTIAL}"
            staged.write_text(text, encoding="utf-8")
            os.replace(staged, self.path(MANIFEST))
        else:
            self.fs.pipe_file(self.path(MANIFEST), text.encode())
