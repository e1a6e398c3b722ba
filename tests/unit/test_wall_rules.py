"""The 民心墙's pure rules: what counts as a phone number or a link, and when a dispatch is due or overdue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.wall import OrderStatus, WallOrder, dispatch_due, has_link, overdue, phone_of, remind_at

AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "phone"), [
    ("13912345678", "13912345678"), (" +86 139-1234-5678 ", "+86 139-1234-5678"), ("0917-1234567", "0917-1234567"),
    ("123456", None), ("1234567890123456", None), ("楼道灯 13912345678", None), ("", None),
])
def test_a_message_that_is_only_a_number_is_the_phone(text, phone):
    """7 to 15 digits with spaces, dashes and a leading + are a phone; anything with words is not."""
    assert phone_of(text) == phone


@pytest.mark.parametrize(("text", "link"), [
    ("https://x.cn/a", True), ("看 www.abc.com", True), ("t.me/somebot", True), ("abc.com", True),
    ("楼道灯坏了，3.5米高", False), ("电话13912345678", False),
])
def test_links_are_recognised(text, link):
    """Web addresses and Telegram links are links; a need with numbers and dots is not."""
    assert has_link(text) is link


def test_dispatch_is_due_three_days_after_and_reminded_a_day_before():
    """Due 72 hours after it was handed in, reminded at 48 hours; overdue only while still open."""
    assert dispatch_due(AT) == AT + timedelta(days=3) and remind_at(AT) == AT + timedelta(days=2)
    order = WallOrder(id=1, branch_id=1, resident_chat=5, status=OrderStatus.OPEN, created_at=AT, submitted_at=AT)
    assert not overdue(order, AT + timedelta(days=3) - timedelta(seconds=1))
    assert overdue(order, AT + timedelta(days=3))
    assert not overdue(order.model_copy(update={"status": OrderStatus.DISPATCHED}), AT + timedelta(days=4))
