"""Democratic evaluation end to end: open → self-evaluate → review → peer-grade → final grades → close → filing."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import docx
import openpyxl
import pytest

from bot.keys import refs
from storage import audit, evaluation, members, submissions
from tests.e2e.helpers import branch_with_members, data_rows, open_campaign
from tests.e2e.helpers import documents as sent_documents
from tests.support import ADMIN_ID, ENGINES

SECTION_TEXTS = ("坚定理想信念，严守政治纪律。", "按时参加组织生活，学习党的理论。", "工作认真负责，联系群众。",
                 "带头参加志愿服务。", "学习不够深入，今后每周学习两次。")


async def write_selfeval(person, texts=SECTION_TEXTS, grade: str = "合格") -> None:
    """Answer the five sections (each one message, then 下一部分 / 完成), pick the self-grade, submit."""
    await person.press("写自评")
    await person.expect("第 1/5 部分")
    for index, text in enumerate(texts, start=1):
        await person.send(text)
        await person.expect("已保存")
        await person.press("完成" if index == len(texts) else "下一部分")
        if index < len(texts):
            await person.expect(f"第 {index + 1}/5 部分")
    await person.expect("请选择您的自评等次")
    await person.press(grade)
    preview = await person.expect("个人自评预览")
    assert texts[0] in preview.plain
    await person.emu.idle()  # a long preview comes in parts; the buttons ride on the last
    answer = await person.press("提交审核")
    assert "已提交" in answer.text


async def grade_all(person, grades: list[str]) -> None:
    """逐个评议: one tap per person, in the order the bot offers them."""
    await person.send("/peereval")
    await person.expect("互评")
    await person.press("逐个评议")
    for grade in grades:
        await person.expect("请为")
        answer = await person.press_data(person.last.message_id,
                                         next(d for d, label in _buttons(person.last) if label == grade))
        assert "已评" in answer.text
    await person.expect("全部评完")


def _buttons(message):
    return [(b.data, b.label) for row in message.buttons for b in row]


@pytest.mark.parametrize("engine", ENGINES)  # the bot on each storage engine
async def test_full_campaign_review_grades_close_and_filing(harness):
    """Two members self-evaluate and peer-grade; one self-evaluation is returned, fixed, approved; final grades;
    closing tells each member only their own grade; the register reaches the admins and reads back."""
    admin = harness.emu.user(ADMIN_ID, "组织部")
    secretary, (a, b) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    await open_campaign(harness, secretary)
    await harness.drain()
    for person in (a, b):
        notice = await person.expect("民主评议党员开始了")
        assert "匿名" in notice.plain

    await write_selfeval(a, grade="优秀")
    await harness.drain()
    card_a = await secretary.expect("个人自评待审核")
    assert "李红梅" in card_a.plain and SECTION_TEXTS[1] in card_a.plain and "优秀" in card_a.plain
    await write_selfeval(b, texts=tuple("赵建国" + t for t in SECTION_TEXTS))
    await harness.drain()
    card_b = await secretary.expect("个人自评待审核")

    # 退回修改 → the member fixes one section → resubmits → 通过.
    await secretary.press("退回修改", message=card_a)
    await secretary.expect("退回修改的意见")
    await secretary.send("请补充学习的具体内容。")
    await harness.drain()
    returned = await a.expect("退回修改")
    assert "请补充学习的具体内容" in returned.plain and "/selfeval" in returned.plain
    await a.send("/selfeval")
    preview = await a.expect("个人自评预览")
    assert "请补充学习的具体内容" in preview.plain
    await a.press("✏️ 学习")
    asked = await a.expect("现在的内容")
    assert SECTION_TEXTS[1] in asked.plain
    await a.send("全年参加组织生活12次，学习党章和二十大报告。")
    await a.expect("已保存")
    await a.press("完成")
    fixed = await a.expect("个人自评预览")
    assert "学习党章" in fixed.plain
    await a.press("提交审核")
    await harness.drain()
    card_a2 = await secretary.expect("第 2 次提交")
    assert "学习党章" in card_a2.plain
    await secretary.press("通过", message=card_a2)
    await secretary.press("通过", message=card_b)
    await harness.drain()
    await a.expect("审核通过")
    await b.expect("审核通过")

    # Peer grading: others are the secretary (id 1) and the other member, in roster order.
    await grade_all(a, ["优秀", "合格"])
    await grade_all(b, ["合格", "基本合格"])
    # b changes the grade for 李红梅 before the deadline.
    a_id = (await members.by_telegram_id(harness.svc.db, a.id)).id
    answer = await b.press_data(b.last.message_id, f"pe:g:1:{a_id}:excellent")
    assert "优秀" in answer.text
    await grade_all(secretary, ["优秀", "合格"])

    # Results: while open, with fewer than 5 votes each, how many voted only — never how (a branch of three would
    # tell who gave which grade from one look to the next).
    await secretary.send("/evaluation")
    panel = await secretary.expect("参评党员 3 人")
    assert "已评完 3 人" in panel.plain and "已通过 2 人" in panel.plain
    await secretary.press("评议结果")
    results = await secretary.expect("评议结果")
    assert "李红梅</b>" not in results.plain  # plain text, no markup leaks
    line_a = next(line for line in results.plain.splitlines() if "李红梅" in line)
    assert "优秀 | 已收 2 票 | 已通过" in line_a and "2/0/0/0" not in results.plain
    line_b = next(line for line in results.plain.splitlines() if "赵建国" in line)
    assert "已收 2 票" in line_b and "0/2/0/0" not in line_b

    # Final grades: 优秀 for 李红梅 and the secretary (over the 20% limit), 不合格 for 赵建国 (needs a reason). The
    # secretary's own is not theirs to set: their card asks others, and the county's admin (no other committee
    # member, no unit between) sets it from the card they get.
    for name, grade in (("李红梅", "优秀"), ("赵建国", "不合格")):
        await secretary.press(f"{name} · 待定")
        await secretary.expect("评议结果：")
        await secretary.press(grade)
        await secretary.expect(f"评议结果：{grade}")
        await secretary.press("返回名单")
        await secretary.expect("评议结果")
    await secretary.press("王书记 · 待定")
    own = await secretary.expect("不由本人评定")
    assert "优秀" not in own.labels() and "📨 请他人评定" in own.labels()
    await secretary.press("📨 请他人评定", message=own)
    await secretary.expect("评定您本人的评议等次")
    await harness.drain()
    asked = await admin.expect("支部书记本人的评议等次，由您评定")
    assert "所在党支部：第一党支部" in asked.plain
    await admin.press("优秀", message=asked)
    await admin.expect("评议结果：优秀")
    await secretary.press("返回名单", message=own)
    await secretary.expect("评议结果")
    warned = harness.emu.current(secretary.id, panel.message_id)  # the panel message became the results list
    assert "超过本支部比例" in warned.plain and "还没写理由：赵建国" in warned.plain
    refusal = await secretary.press_data(panel.message_id, "ev:c:1")
    assert "必须写明理由" in refusal.text
    await secretary.send("多次无故不参加组织生活，经批评教育仍不改正。")
    card = await secretary.expect("备注/理由：多次无故")
    assert "不合格" in card.plain

    await secretary.press_data(panel.message_id, "ev:c:1")
    confirm = await secretary.expect("确认结束")
    assert "超过本支部比例" in confirm.plain
    answer = await secretary.press("确认结束")
    assert "已结束" in answer.text
    done = await secretary.expect("民主评议已结束")
    assert "已报送上级党委" in done.plain
    await harness.drain()
    own_a = await a.expect("评议等次为")
    assert "优秀" in own_a.plain and "赵建国" not in own_a.plain
    own_b = await b.expect("评议等次为")
    assert "不合格" in own_b.plain and "李红梅" not in own_b.plain
    await harness.emu.idle()
    assert not [t for t in a.texts() if "不合格" in t]  # nothing of b's result reached a

    # Filing: the admin got the register; /export gives the same, and the self-evaluations as DOCX.
    filed = [m for m in admin.messages() if m.kind == "document"]
    assert len(filed) == 1
    sheet = openpyxl.load_workbook(BytesIO(harness.emu.file(filed[0].file_id).content)).active
    rows = {r[1]: r for r in data_rows(sheet)}
    assert rows["李红梅"][2:9] == ("优秀", "已通过", 2, 0, 0, 0, "优秀")
    assert rows["赵建国"][8] == "不合格" and rows["赵建国"][9].startswith("多次无故")
    await secretary.send("/export evaluation 2026")
    await secretary.send("/export selfeval 2026")
    documents = sorted(await sent_documents(secretary, 2), key=lambda d: d.file_name.endswith(".docx"))
    assert [d.file_name for d in documents] == ["第一党支部_民主评议结果登记表_2026.xlsx", "第一党支部_党员个人自评汇编_2026.docx"]
    exported = openpyxl.load_workbook(BytesIO(harness.emu.file(documents[0].file_id).content)).active
    assert exported["A1"].value == "第一党支部 2026年度民主评议党员结果登记表"
    text = "\n".join(p.text for p in docx.Document(BytesIO(harness.emu.file(documents[1].file_id).content)).paragraphs)
    assert "学习党章" in text and "赵建国带头参加志愿服务" in text and "已通过" in text

    # After closing nobody, not even the database, can pair graders with grades.
    async with harness.svc.db.execute("SELECT COUNT(*) FROM evaluation_peer_grades WHERE ballot IS NOT NULL") as cur:
        assert (await cur.fetchone())[0] == 0
    assert await evaluation.salt(harness.svc.db, 1) is None


async def test_privacy_no_one_sees_others_selfeval_or_who_graded_whom(harness):
    """Members cannot open another's self-evaluation or the results; the secretary sees counts, not graders;
    nothing of the evaluation reaches the linked group."""
    secretary, (a, b) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    group = harness.emu.group(-100555, "第一党支部群")
    await secretary.send_in(group, "/linkgroup")
    await harness.emu.idle()
    await open_campaign(harness, secretary)
    await harness.drain()
    await a.expect("民主评议党员开始了")
    await b.expect("民主评议党员开始了")
    await write_selfeval(a, texts=tuple("私密" + t for t in SECTION_TEXTS))
    a_sub = (await submissions.by_author(harness.svc.db, (await members.by_telegram_id(harness.svc.db, a.id)).id))[0]

    # b forges a's buttons: refused, nothing changes.
    for data in (f"se:e:{a_sub.id}:study", f"se:s:{a_sub.id}", f"se:g:{a_sub.id}:excellent", f"rv:show:{a_sub.id}",
                 "ev:r:1", "ev:m:1:2", "ev:f:1:2:unqualified"):
        answer = await b.press_data(b.last.message_id, data)
        assert "失效" in answer.text or "权限" in answer.text, (data, answer.text)
    assert not [t for t in b.texts() if "私密" in t]

    await grade_all(a, ["优秀", "基本合格"])
    await grade_all(b, ["合格", "优秀"])
    await secretary.send("/evaluation")
    await secretary.expect("参评党员")
    await secretary.press("评议结果")
    await secretary.expect("评议结果")
    await secretary.press("李红梅 · 待定")
    card = await secretary.expect("互评票数")
    assert "已收 1 票" in card.plain and "优秀 1" not in card.plain  # one vote: its grade would say whose it is
    assert "赵建国" not in card.plain  # who gave the 优秀 is not shown

    # The member's own sheet shows only their own grades.
    await b.send("/peereval")
    sheet = await b.expect("已评 2/2")
    assert "李红梅 · 优秀" in sheet.labels()
    await a.send("/evaluation")
    own = await a.expect("互评：已评 2/2")
    assert "优秀" not in own.plain

    # The grades table itself holds no grader: only an opaque ballot id.
    async with harness.svc.db.execute("PRAGMA table_info(evaluation_peer_grades)") as cur:
        columns = {r[1] for r in await cur.fetchall()}
    assert columns == {"campaign_id", "ballot", "subject_id", "grade", "comment"}
    async with harness.svc.db.execute("SELECT ballot FROM evaluation_peer_grades") as cur:
        ballots = [r[0] for r in await cur.fetchall()]
    assert len(ballots) == 4 and len(set(ballots)) == 2 and not set(ballots) & {str(x) for x in (1, 2, 3, 1001, 2001, 2002)}

    # Commands in the group get pointed to the private chat, and nothing evaluation-related was posted there.
    await a.send_in(group, "/selfeval")
    await harness.emu.idle()
    texts = [m.plain for m in harness.emu.messages_in(group.id)]
    assert not [t for t in texts if "自评" in t and "私聊" not in t]
    assert not [t for t in texts if "私密" in t or "互评" in t or "民主评议" in t or "等次" in t]


async def test_a_section_takes_as_many_messages_as_the_member_sends(harness):
    """"按时参加三会一课，" then "认真学习…" both land in 学习 (in order, each saved before the next prompt, so a
    restart between them keeps the first); 下一部分 on an empty section is refused; the last part reads 完成.
    Taps: 写自评, then per part its messages + 下一部分 (完成 on the fifth), a grade, 提交审核."""
    secretary, (a,) = await branch_with_members(harness, names=("李红梅",))
    await open_campaign(harness, secretary)
    await harness.drain()
    await a.expect("民主评议党员开始了")
    a_id = (await members.by_telegram_id(harness.svc.db, a.id)).id
    await a.press("写自评")
    first = await a.expect("第 1/5 部分")
    assert first.labels() == []  # nothing written yet: no 下一部分 to skip the section
    await a.send(SECTION_TEXTS[0])
    await a.expect("已保存")
    await a.press("下一部分")
    await a.expect("第 2/5 部分")
    await a.send("按时参加三会一课，")
    saved = await a.expect("已保存")
    assert "▶️ 下一部分" in saved.labels()
    draft = (await submissions.by_author(harness.svc.db, a_id))[0]
    assert draft.content["sections"]["study"] == "按时参加三会一课，"
    await harness.restart()
    await a.send("认真学习党的二十大精神。")
    await a.expect("已保存")
    draft = await submissions.get(harness.svc.db, draft.id)
    assert draft.content["sections"]["study"] == "按时参加三会一课，\n认真学习党的二十大精神。"
    assert "conduct" not in draft.content["sections"]
    await a.send("/cancel")
    await a.expect("已")
    await a.send("/selfeval")
    resumed = await a.expect("第 2/5 部分")
    assert "认真学习党的二十大精神" in resumed.plain and "▶️ 下一部分" in resumed.labels()
    await a.press("下一部分")
    for index, text in enumerate(SECTION_TEXTS[2:], start=3):
        await a.expect(f"第 {index}/5 部分")
        await a.send(text)
        saved = await a.expect("已保存")
        if index < 5:
            await a.press("下一部分")
    assert "✅ 完成" in saved.labels()
    await a.press("完成")
    await a.expect("请选择您的自评等次")
    await a.press("合格")
    preview = await a.expect("个人自评预览")
    assert "按时参加三会一课，\n认真学习党的二十大精神。" in preview.plain


async def test_bad_input_self_grade_empty_section_and_late_grade(harness):
    """Grading oneself, an empty section, a grade or submission after the deadline: answered, nothing changes."""
    secretary, (a, b) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    await open_campaign(harness, secretary, days=7)
    await harness.drain()
    await a.expect("民主评议党员开始了")
    a_id = (await members.by_telegram_id(harness.svc.db, a.id)).id
    b_id = (await members.by_telegram_id(harness.svc.db, b.id)).id

    answer = await a.press_data(a.last.message_id, f"pe:g:1:{a_id}:excellent")
    assert "不能给自己评" in answer.text
    await a.press("写自评")
    await a.expect("第 1/5 部分")
    await a.send_photo()
    await a.expect("还没有内容")
    await a.send(SECTION_TEXTS[0])
    await a.expect("已保存")
    await a.press("下一部分")
    await a.expect("第 2/5 部分")
    await a.send("字" * 1001)
    await a.expect("最多 1000")
    draft = (await submissions.by_author(harness.svc.db, a_id))[0]
    assert draft.content["sections"] == {"politics": SECTION_TEXTS[0]}  # saved as typed, nothing bad kept
    assert "writing" not in draft.content

    await a.send("/peereval")
    await a.expect("已评 0/2")
    harness.clock.set(datetime(2026, 12, 1, 0, 0, tzinfo=UTC))  # past 11-30 23:59 Shanghai
    answer = await a.press_data(a.last.message_id, f"pe:g:1:{b_id}:qualified")
    assert "截止" in answer.text
    await a.send("/selfeval")
    await a.expect("已于")
    await a.send(SECTION_TEXTS[1])  # still in the form: told once, and the form stops
    await a.expect("已于")
    await a.send(SECTION_TEXTS[1])
    await a.expect("这句话没有对应的操作")
    assert (await submissions.get(harness.svc.db, draft.id)).content == draft.content
    async with harness.svc.db.execute("SELECT COUNT(*) FROM evaluation_peer_grades") as cur:
        assert (await cur.fetchone())[0] == 0

    # The secretary extends: grading works again. The 优秀 limit is a branch setting changed with one tap, never
    # above the 20% its units' policy allows: from 20% the tap steps down to 10%.
    await secretary.send("/evaluation")
    await secretary.expect("已截止")
    answer = await secretary.press("优秀比例上限 20%")
    assert "10%" in answer.text
    edited = await secretary.expect("参评党员")
    assert "⚙️ 优秀比例上限 10%" in edited.labels()
    answer = await secretary.press("延期3天")
    assert "已延期" in answer.text
    answer = await a.press_data(a.last.message_id, f"pe:g:1:{b_id}:qualified")
    assert "已评" in answer.text


async def test_form_survives_restart_comments_are_anonymous_and_cli_exports(harness, tmp_path):
    """A half-written self-evaluation resumes after a restart; a peer comment reaches the secretary without a name;
    a member sees their own grade after close; the CLI exports the register; a year without one is refused."""
    secretary, (a, b) = await branch_with_members(harness, names=("李红梅", "赵建国"))
    admin = harness.emu.user(ADMIN_ID, "组织部")  # the county's admin has opened the bot
    await open_campaign(harness, secretary)
    await harness.drain()
    await a.expect("民主评议党员开始了")
    await a.press("写自评")
    await a.expect("第 1/5 部分")
    await a.send(SECTION_TEXTS[0])
    await a.expect("已保存")
    await a.press("下一部分")
    await a.expect("第 2/5 部分")
    await harness.restart()
    await a.send(SECTION_TEXTS[1])  # the form's state is in SQLite: the restart lost nothing
    await a.expect("已保存")
    await a.press("下一部分")
    await a.expect("第 3/5 部分")

    await b.send("/peereval")
    await b.expect("已评 0/2")
    await b.press("李红梅 · 未评")
    await b.expect("请为 李红梅")
    await b.press("优秀")
    await b.expect("请为")  # moves on to the next one
    await b.press("返回名单")
    await b.expect("已评 1/2")
    await b.press("李红梅 · 优秀")
    await b.expect("您已评：优秀")
    await b.press("写评语")
    await b.expect("评语")
    await b.send("工作积极，乐于助人。")
    await b.expect("评语已保存")

    await secretary.send("/evaluation")
    await secretary.expect("参评党员")
    await secretary.press("评议结果")
    await secretary.expect("评议结果")
    await secretary.press("李红梅 · 待定")
    card = await secretary.expect("互评票数：已收 1 票")
    assert "工作积极" not in card.plain  # not while open with one vote: the comment would say whose it is
    for name in ("李红梅", "赵建国"):
        await secretary.press_data(card.message_id, "ev:r:1")  # back to the list
        await secretary.expect("评议结果")
        await secretary.press(f"{name} · 待定")
        await secretary.expect("评议结果：")
        await secretary.press("合格")
        await secretary.expect("评议结果：合格")
    await secretary.press_data(card.message_id, "ev:a:1")  # the secretary's own grade is asked of others
    await harness.drain()
    await admin.press("合格", message=await admin.expect("由您评定"))
    await admin.expect("评议结果：合格")
    await secretary.press_data(card.message_id, "ev:c:1")
    await secretary.expect("确认结束")
    await secretary.press("确认结束")
    await secretary.expect("民主评议已结束")
    await secretary.press_data(card.message_id, "ev:m:1:2")  # after the close: the tally and the comment
    closed = await secretary.expect("匿名评语")
    assert "优秀 1" in closed.plain and "工作积极，乐于助人。" in closed.plain and "赵建国" not in closed.plain
    await harness.drain()
    await a.expect("评议等次为")
    await a.send("/evaluation")
    own = await a.expect("年度民主评议已结束")
    assert "您的评议等次：合格" in own.plain
    answer = await b.press_data(b.last.message_id, "pe:g:1:2:basic")
    assert "已经结束" in answer.text

    out = tmp_path / "register.xlsx"
    done = await harness.cli("export", "evaluation", "--branch", "1", "--period", "2026", "--out", str(out))
    assert done.returncode == 0, done.stderr
    sheet = openpyxl.load_workbook(out).active
    names = [r[1] for r in data_rows(sheet)]
    assert sorted(names) == sorted(["王书记", "李红梅", "赵建国"])
    await secretary.send("/export evaluation 2025")
    await secretary.expect("2025 年度还没有开展民主评议")


async def test_long_self_evaluation_preview_and_card_arrive_whole(harness):
    """Five sections of 1000 characters: the preview (too long for an edit) comes as new messages, and the card too."""
    secretary, (a,) = await branch_with_members(harness, names=("李红梅",))
    await open_campaign(harness, secretary)
    await harness.drain()
    await a.expect("民主评议党员开始了")
    await write_selfeval(a, texts=tuple(str(i) * 1000 for i in range(1, 6)))
    await harness.drain()
    await secretary.expect("个人自评待审核")
    await harness.emu.idle()
    assert sum(t.count("5" * 100) for t in secretary.texts()) >= 1
    assert "通过" in " ".join(label for m in secretary.messages() for label in m.labels())


async def test_the_rest_are_qualified_with_one_tap_after_the_exceptions(harness):
    """Final grades for a branch of five: 李红梅 is set to 优秀 on her card, then ✅ 其余全部合格（3 人）grades the
    other three members 合格 at once (each audited) — never the secretary's own row, which stays 待定 for the rest of
    the committee or the unit above; nothing else is left 待定."""
    secretary, _ = await branch_with_members(harness, names=("李红梅", "赵建国", "孙丽", "周敏"))
    await open_campaign(harness, secretary)
    await secretary.press("评议结果")
    results = await secretary.expect("评议结果")
    assert results.labels()[0] == "✅ 其余全部合格（4 人）"
    await secretary.press("李红梅 · 待定", message=results)
    await secretary.expect("评议结果：待定")
    await secretary.press("优秀")
    await secretary.expect("评议结果：优秀")
    await secretary.press("返回名单")
    listed = await secretary.expect("其余全部合格")
    answer = await secretary.press("✅ 其余全部合格（3 人）", message=listed)
    assert "已将 3 人评定为合格" in answer.text
    await harness.emu.idle()
    shown = harness.emu.current(secretary.id, listed.message_id)
    assert "李红梅 · 优秀" in shown.labels() and "其余全部合格" not in " ".join(shown.labels())
    assert sorted(label for label in shown.labels() if "·" in label) == sorted(
        ["李红梅 · 优秀", "王书记 · 待定", "赵建国 · 合格", "孙丽 · 合格", "周敏 · 合格"])
    own = await members.by_telegram_id(harness.svc.db, secretary.id)
    finals = [e for e in await audit.for_branch(harness.svc.db, own.branch_id) if e.action == "evaluation.final"]
    assert len(finals) == 4 and all(e.subject != refs.member(own.id) for e in finals)
    assert own.id not in await evaluation.results(harness.svc.db, 1)
