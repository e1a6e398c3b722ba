"""The roll-up's tasks being drafted (officer → title, text, last day), kept in a small JSON file of its own
(ZHIBU_ROLLUP_DRAFTS) so that a restart between the preview and 发布 loses nothing: a draft is on disk before its
preview is sent, and gone from it before it is issued (a second 发布 after a crash mid-issue is stale rather than a
second task). Each change rewrites the file whole — a new file beside it, flushed, then renamed over it — so the
file is always one complete version; only the roll-up's own process writes it."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

Draft = tuple[str, str, str]  # title, text, last day (as typed)


class DraftsError(RuntimeError):
    """The drafts file is there but cannot be read as drafts: the roll-up does not start over it."""


class Drafts:
    def __init__(self, path: Path, kept: dict[int, Draft] | None = None) -> None:
        self.path = path
        self._kept = dict(kept or {})
        self._lock = asyncio.Lock()

    @classmethod
    def load(cls, path: Path) -> Drafts:
        """The drafts kept at `path` (none if there is no file yet)."""
        if not path.exists():
            return cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            kept = {int(officer): (str(d["title"]), str(d["body"]), str(d["day"])) for officer, d in raw.items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            raise DraftsError(f"the roll-up's drafts at {path} cannot be read ({exc}); move it away to start "
                              f"without them") from exc
        return cls(path, kept)

    def get(self, officer: int) -> Draft | None:
        return self._kept.get(officer)

    async def keep(self, officer: int, draft: Draft) -> None:
        """Kept, on disk, when this returns (an officer's new draft replaces their last)."""
        async with self._lock:
            await self._save({**self._kept, officer: draft})

    async def take(self, officer: int) -> Draft | None:
        """The officer's draft, gone from disk when this returns (None if they had none)."""
        async with self._lock:
            draft = self._kept.get(officer)
            if draft is not None:
                await self._save({k: v for k, v in self._kept.items() if k != officer})
            return draft

    async def _save(self, kept: dict[int, Draft]) -> None:
        """Written first, then in force: a write that fails (a full disk) changes nothing and is the error."""
        data = {str(officer): {"title": t, "body": b, "day": d} for officer, (t, b, d) in kept.items()}
        await asyncio.to_thread(_replace, self.path, json.dumps(data, ensure_ascii=False, indent=1))
        self._kept = kept


def _replace(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(path.name + ".new")
    fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # drafts are the department's, not the host's
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(fresh, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)  # the rename itself survives a power cut
    finally:
        os.close(folder)
