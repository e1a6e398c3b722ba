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
    """Each officer's one draft under a number of its own (the number of every draft ever kept here, in turn): the
    preview's 发布 and 放弃 carry it, so the buttons of an older preview never issue or drop a newer draft."""

    def __init__(self, path: Path, kept: dict[int, tuple[int, Draft]] | None = None, last: int = 0) -> None:
        self.path = path
        self._kept = dict(kept or {})  # officer → (number, draft)
        self._last = last
        self._lock = asyncio.Lock()

    @classmethod
    def load(cls, path: Path) -> Drafts:
        """The drafts kept at `path` (none if there is no file yet)."""
        if not path.exists():
            return cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            kept = {int(officer): (int(d["number"]), (str(d["title"]), str(d["body"]), str(d["day"])))
                    for officer, d in raw["drafts"].items()}
            last = int(raw["last"])
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            raise DraftsError(f"the roll-up's drafts at {path} cannot be read ({exc}); move it away to start "
                              f"without them") from exc
        return cls(path, kept, last)

    def get(self, officer: int, number: int) -> Draft | None:
        found = self._kept.get(officer)
        return found[1] if found is not None and found[0] == number else None

    async def keep(self, officer: int, draft: Draft) -> int:
        """Kept, on disk, when this returns (an officer's new draft replaces their last); its number."""
        async with self._lock:
            number = self._last + 1
            await self._save({**self._kept, officer: (number, draft)}, number)
            return number

    async def take(self, officer: int, number: int) -> Draft | None:
        """The officer's draft of this number, gone from disk when this returns (None if they have none by it)."""
        async with self._lock:
            draft = self.get(officer, number)
            if draft is not None:
                await self._save({k: v for k, v in self._kept.items() if k != officer}, self._last)
            return draft

    async def _save(self, kept: dict[int, tuple[int, Draft]], last: int) -> None:
        """Written first, then in force: a write that fails (a full disk) changes nothing and is the error."""
        drafts = {str(officer): {"number": n, "title": t, "body": b, "day": d}
                  for officer, (n, (t, b, d)) in kept.items()}
        text = json.dumps({"last": last, "drafts": drafts}, ensure_ascii=False, indent=1)
        await asyncio.to_thread(_replace, self.path, text)
        self._kept, self._last = kept, last


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
