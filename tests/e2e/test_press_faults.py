"""Presses and edits the bot did not plan for: inline-mode taps, taps on vanished messages, a tap twice, a stale
button of another campaign, an edited message in the middle of a form. Each is answered once, politely, with no
traceback in the log and nothing changed."""

from __future__ import annotations

import logging
import sqlite3

from tests.e2e.helpers import branch_with_members


def _errors(caplog) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def _notice_to_all(harness, secretary, people) -> None:
    await secretary.send("/notice")
    await secretary.expect("请发送通知内容")
    await secretary.send("周五下午学习。")
    await secretary.expect("通知预览")
    await secretary.press("发送")
    await secretary.expect("阅读情况")
    await harness.drain()
    for person in people:
        await person.expect("周五下午学习")


async def test_inline_presses_are_answered_politely_by_every_handler(harness, caplog):
    """Real button data of several features (self-evaluation, peer evaluation, the secretary's panel, 已读), pressed
    under an inline-mode message (no chat): a polite alert each, no traceback, nothing changed."""
    secretary, people = await branch_with_members(harness)
    a = people[0]
    await _notice_to_all(harness, secretary, people)
    await secretary.send("/evaluation")
    await secretary.expect("还没有开启")
    await secretary.press("开启（14天后截止）")
    await harness.drain()
    await a.expect("民主评议党员开始了")
    shown = {b.data for who in (a, secretary) for m in who.messages() for row in m.buttons for b in row if b.data}
    assert {d.split(":")[0] for d in shown} >= {"se", "pe", "ev", "nt"}, shown
    before = _dump(harness)
    for data in sorted(shown):
        answer = await a.press_inline(data)
        assert "私聊" in answer.text and answer.show_alert, (data, answer)
        answer = await secretary.press_inline(data)
        assert "私聊" in answer.text, (data, answer)
    await harness.emu.idle()
    assert _dump(harness) == before
    assert _errors(caplog) == []


async def test_read_pressed_twice_answers_each_tap_once_without_traceback(harness, caplog):
    """已读 on a notice, twice (the second from the same message, its buttons already gone): each tap gets one
    answer; the log has no error."""
    secretary, people = await branch_with_members(harness)
    a = people[0]
    await _notice_to_all(harness, secretary, people)
    notice = a.last
    data = notice.buttons_data()[0]
    first = await a.press("已读")
    assert "已确认" in first.text
    again = await a.press_data(notice.message_id, data)
    assert "确认过" in again.text
    await harness.emu.idle()
    assert _errors(caplog) == []


async def test_a_press_that_fails_after_its_answer_is_apologised_for_in_the_chat(harness, caplog):
    """Opening a member's card: the press is answered, then the card's edit gets a 500. Nothing was saved, and
    the press cannot be answered twice, so the apology comes as a message in the secretary's chat."""
    secretary, _ = await branch_with_members(harness, names=("李红梅",))
    await secretary.send("/members")
    roster = await secretary.expect("党员名册")
    harness.emu.fail("editMessageText", 500, chat_id=secretary.id, times=1)
    await secretary.press("李红梅", message=roster)
    await secretary.expect("处理时出了点问题")
    await harness.emu.idle()
    assert not [r for r in caplog.records if r.name == "handlers.telegram.errors" and r.levelno == logging.WARNING]


async def test_press_on_a_vanished_message_sends_the_new_state_anew(harness, caplog):
    """A button whose message Telegram no longer has (an inaccessible-message stub): the card the edit would have
    shown comes as a new message instead of an error."""
    secretary, _ = await branch_with_members(harness)
    await secretary.send("/evaluation")
    await secretary.expect("还没有开启")
    await secretary.press("开启（14天后截止）")
    panel = await secretary.expect("参评党员")
    results = next(b.data for row in panel.buttons for b in row if b.data.startswith("ev:r:"))
    await secretary.press_data(987_654, results)
    shown = await secretary.expect("评议结果")
    assert shown.message_id != panel.message_id
    await harness.emu.idle()
    assert _errors(caplog) == []


async def test_stale_excellent_limit_button_of_another_campaign_changes_nothing(harness, caplog):
    """The 优秀 share button carries its campaign: one naming no campaign of this branch (stale or forged) is
    refused and the branch setting stays; the current campaign's own button still works."""
    secretary, _ = await branch_with_members(harness)
    await secretary.send("/evaluation")
    await secretary.expect("还没有开启")
    await secretary.press("开启（14天后截止）")
    panel = await secretary.expect("参评党员")
    limit = next(b.data for row in panel.buttons for b in row if b.data.startswith("ev:s:"))
    before = _settings(harness)
    for forged in ("ev:s:999", "ev:p:999"):
        refusal = await secretary.press_data(panel.message_id, forged)
        assert "失效" in refusal.text or "无效" in refusal.text, refusal
    assert _settings(harness) == before
    answer = await secretary.press_data(panel.message_id, limit)
    assert "优秀" in answer.text
    assert _settings(harness) != before
    assert _errors(caplog) == []


async def test_edited_message_in_a_form_is_not_read_and_says_so(harness, caplog):
    """The secretary edits the notice text already taken for the preview, then an old /evaluation: each time one
    short hint to send the correction anew; the draft keeps the first text and no command runs again."""
    secretary, _ = await branch_with_members(harness)
    await secretary.send("/notice")
    await secretary.expect("请发送通知内容")
    body = await secretary.send("周五下午学习。")
    await secretary.expect("通知预览")
    await secretary.edit(body, "周六上午学习。")
    hint = await secretary.expect("新消息")
    assert "不会被读取" in hint.plain
    command = await secretary.send("/help")
    await secretary.expect()
    await secretary.edit(command, "/evaluation")
    await secretary.expect("新消息")
    await harness.emu.idle()
    assert not any("还没有开启" in m.plain for m in secretary.messages())  # /evaluation did not run
    with sqlite3.connect(harness.settings.db) as db:
        assert [row[0] for row in db.execute("SELECT body FROM notices")] == ["周五下午学习。"]
    await secretary.press("发送")  # the form goes on from where it was
    await secretary.expect("通知已发送")
    assert _errors(caplog) == []


def _dump(harness) -> dict:
    with sqlite3.connect(harness.settings.db) as db:
        tables = ("members", "member_roles", "submissions", "evaluation_campaigns", "evaluation_results",
                  "notice_receipts", "notices", "branches", "conversations")
        return {t: sorted(db.execute(f"SELECT * FROM {t}")) for t in tables}  # noqa: S608 - fixed names


def _settings(harness) -> list:
    with sqlite3.connect(harness.settings.db) as db:
        return list(db.execute("SELECT settings FROM branches"))


async def test_approve_on_a_review_card_shows_the_decision_without_error(harness, caplog):
    """通过 on a self-evaluation card: the card turns into the decision (it used to fail after recording it)."""
    secretary, (a, _b, _c) = await branch_with_members(harness)
    await secretary.send("/evaluation")
    await secretary.expect("还没有开启")
    await secretary.press("开启（14天后截止）")
    await harness.drain()
    await a.expect("民主评议党员开始了")
    await a.press("写自评")
    for index in range(1, 6):
        await a.expect(f"第 {index}/5 部分")
        await a.send(f"第{index}部分的内容。")
        await a.expect("已保存")
        await a.press("完成" if index == 5 else "下一部分")
    await a.expect("请选择您的自评等次")
    await a.press("合格")
    await a.expect("个人自评预览")
    await harness.emu.idle()
    await a.press("提交审核")
    await harness.drain()
    card = await secretary.expect("个人自评待审核")
    answer = await secretary.press("通过", message=card)
    assert "通过" in answer.text or "已" in answer.text, answer
    decided = await secretary.expect("已通过")
    assert decided.message_id == card.message_id
    assert _errors(caplog) == []
