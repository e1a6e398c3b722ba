"""Three processes share one PostgreSQL outbox and one of them is killed with SIGKILL mid-run: nothing is lost,
and nothing is repeated but what the dead process had in flight (bot/bench/outbox.py runs the workers)."""

from __future__ import annotations

from bot.bench import outbox, pg_server

ROWS = 5000
# The killed worker's rows come back when their lease runs out: short for the test, long enough for a send and its
# finish on a loaded machine (a live worker's lease running out would make duplicates of its own).
LEASE_SECONDS = 8.0


async def test_three_workers_one_killed_lose_nothing_and_repeat_only_its_in_flight_rows(pg_server_running):
    """5,000 messages to the emulator by 3 worker processes, the first killed (SIGKILL) a third of the way: every
    message arrives, every row ends sent, and the duplicates are no more than the rows the killed worker held in
    flight (claimed, not finished) when it died."""
    server: pg_server.Server = pg_server_running
    url = server.create()
    try:
        figures = await outbox.run(url, ROWS, workers=3, kill_after=ROWS // 3, lease=LEASE_SECONDS)
    finally:
        server.drop(url)
    print(outbox.report([figures]))
    print(f"the killed worker held {figures.killed_in_flight} rows in flight; duplicates: {figures.duplicates}")
    assert figures.killed_in_flight is not None
    assert figures.lost == 0 and figures.not_sent == 0
    assert figures.delivered == ROWS
    assert figures.duplicates <= figures.killed_in_flight
    assert len(figures.sent_by) >= 3  # the two survivors and the killed worker each sent some
