from storage import marks
from storage.db import transaction


async def test_any_with_prefix_sees_only_its_own_prefix(db, clock):
    assert not await marks.any_with_prefix(db, "themeday:create:")
    async with transaction(db):
        await marks.claim(db, "themeday:createX", clock.now())  # shares the letters, not the prefix
    assert not await marks.any_with_prefix(db, "themeday:create:")
    async with transaction(db):
        await marks.claim(db, "themeday:create:2026-11-23T02:900:900", clock.now())
    assert await marks.any_with_prefix(db, "themeday:create:")
