"""The demo page in a real headless Chromium: people tap and type in the phones, the real bot answers.

Skipped, with the reason, where no Chromium can be found (scripts/test.sh installs Debian's `chromium`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from telegram import KeyboardButton, ReplyKeyboardMarkup

from bot.demo.runner import Demo
from bot.demo.seed import OFFICER
from bot.settings import Settings
from tests.browser.cdp import Browser, find_browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BROWSER = find_browser()
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no Chromium on this machine (apt-get install chromium)")


def phone(index: int) -> str:
    return f'document.querySelector(\'[data-phone="{index}"]\')'


def type_into(index: int, text: str) -> str:
    return (f"(() => {{ const p = {phone(index)}; p.querySelector('.text').value = {json.dumps(text)};"
            f" p.querySelector('.compose').requestSubmit(); return true; }})()")


def shows(index: int, text: str) -> str:
    return f"{phone(index)}.querySelector('.chat').innerText.includes({json.dumps(text)})"


def tap(index: int, label: str, under: str = "") -> str:
    """Click the newest inline button in that phone whose label contains `label` (on a message containing
    `under`, if given: the keyboard follows its message)."""
    return (f"(() => {{ const b = [...{phone(index)}.querySelectorAll('.keyboard button')].reverse()"
            f".find(b => b.textContent.includes({json.dumps(label)})"
            f" && b.closest('.keyboard').previousElementSibling.innerText.includes({json.dumps(under)}));"
            f" if (!b) return false; b.click(); return true; }})()")


def holder(index: int) -> str:
    """Whom that phone's picker says holds it, e.g. 王建国（书记）."""
    return f"{phone(index)}.querySelector('.who').selectedOptions[0].textContent"


def box(index: int) -> str:
    return f"{phone(index)}.getBoundingClientRect()"


READY = "document.body && document.body.dataset.ready === '1'"


@pytest.fixture
async def demo(tmp_path):
    running = Demo(Settings(db=tmp_path / "unused.db"), "127.0.0.1", 0, db=tmp_path / "demo.db")
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
async def browser(demo):
    chromium = Browser(BROWSER)
    await chromium.open(demo.url)
    yield chromium
    await chromium.close()


async def test_visitor_joins_through_the_page_and_secretary_approves(demo, browser):
    """Secretary asks /invite, the link opens on the third phone as a visitor, who gives a name; 通过 on the card.
    The approved visitor's phone then reads as the member (刘洋), not 新访客; after a reload the same link opens
    as a fresh visitor, not as the member who joined. At 1400 px the three phones stand side by side."""
    await browser.resize(1400)
    await browser.wait_for(READY, what="the page to load")
    assert "王建国" in await browser.evaluate(f"{phone(0)}.querySelector('.who').selectedOptions[0].textContent")

    await browser.evaluate(type_into(0, "/invite"))
    await browser.wait_for(shows(0, "邀请链接"), what="the invite link")
    await browser.evaluate(f"{phone(0)}.querySelector('a[data-start]').click()")
    await browser.wait_for(shows(2, "真实姓名"), what="the visitor to be asked for a name")
    assert await browser.evaluate(f"{phone(2)}.querySelector('.who').value") == "3001"

    await browser.evaluate(type_into(2, "刘洋"))
    await browser.wait_for(shows(2, "已提交"), what="the join request to be saved")
    await browser.wait_for(shows(0, "入支部申请"), what="the approval card on the secretary's phone")
    assert await browser.evaluate(tap(0, "通过"))
    await browser.wait_for(shows(2, "已通过审核"), what="the visitor to be told")
    await browser.wait_for(f"{holder(2)}.includes('刘洋')", what="the phone to read as the new member")
    assert "新访客" not in await browser.evaluate(holder(2))
    assert await browser.evaluate(f"{box(0)}.top === {box(2)}.top && {box(0)}.right < {box(1)}.left")
    assert await browser.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    shot = await browser.screenshot(ARTIFACTS / "demo-join-1400.png")
    assert shot.stat().st_size > 10_000  # a real rendering of three phones, not an empty page

    await browser.evaluate("document.body.dataset.ready = 'old'")  # so the wait below sees the reloaded page
    await browser.reload()
    await browser.wait_for(READY, what="the page to load again")
    await browser.wait_for(f"!!{phone(0)}.querySelector('a[data-start]')", what="the invite link after the reload")
    await browser.evaluate(f"{phone(0)}.querySelector('a[data-start]').click()")
    await browser.wait_for(f"{holder(2)}.startsWith('新访客')", what="a fresh visitor to open the link")
    assert await browser.evaluate(f"{phone(2)}.querySelector('.who').value") not in ("3001", "")
    await browser.wait_for(shows(2, "真实姓名"), what="the fresh visitor to be asked for a name")


async def test_time_travel_moves_the_demo_clock(demo, browser):
    await browser.wait_for("document.body && document.body.dataset.ready === '1'", what="the page to load")
    before = demo.clock.now()
    await browser.evaluate("document.querySelector('.travel button[data-days=\"1\"]').click()")
    await browser.wait_for("document.getElementById('shifted').textContent.includes('24')", what="the clock to move")
    assert (demo.clock.now() - before).total_seconds() >= 24 * 3600


async def test_member_checks_in_from_the_reminder_and_secretary_sees_the_tally(demo, browser):
    """⏭ to check-in time → 李红梅 taps 签到 on the reminder and shares her location → ⏭ past the end → the
    secretary's tally names her."""
    await browser.wait_for("document.body && document.body.dataset.ready === '1'", what="the page to load")
    await browser.evaluate("document.querySelector('.travel button[data-to=\"checkin\"]').click()")
    await browser.wait_for(shows(1, "现在可以签到"), what="the check-in reminder with its 签到 button")
    assert await browser.evaluate(tap(1, "✅ 签到", under="现在可以签到"))
    # The demo branch checks the venue: the member shares their location with the phone's 📍 button.
    await browser.wait_for(f"{phone(1)}.querySelector('.toast').textContent.includes('位置')", what="the ask")
    await browser.evaluate(f"{phone(1)}.querySelector('.location').click()")
    await browser.wait_for(shows(1, "签到成功"), what="the check-in to be confirmed")

    await browser.evaluate("document.querySelector('.travel button[data-to=\"after\"]').click()")
    # The jump's drain catches up on two days of the demo county's work first: on a loaded machine that can take
    # longer than the usual wait.
    await browser.wait_for(shows(0, "主题党日暨支部党员大会签到汇总"), timeout=90, what="the tally on the secretary's phone")
    tally = await browser.evaluate(f"{phone(0)}.querySelector('.chat').innerText")
    assert "实到 1 人" in tally and "实到：李红梅" in tally
    await browser.screenshot(ARTIFACTS / "demo-tally.png")


async def test_narrow_screen_stacks_the_phones_and_the_reply_keyboard_shares_the_location(demo, browser):
    """At 400 px (a phone) nothing overflows sideways and the phones stack; a reply keyboard sent to 李红梅 shows
    under her input, and its 📍 button (request_location) sends her location into the chat, as Telegram does."""
    await browser.resize(400)
    await browser.wait_for(READY, what="the page to load")
    assert await browser.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert await browser.evaluate(f"{box(0)}.bottom <= {box(1)}.top && {box(1)}.bottom <= {box(2)}.top")
    assert await browser.evaluate(f"{box(1)}.left >= 0 && {box(1)}.right <= document.documentElement.clientWidth")
    assert "李红梅" in await browser.evaluate(holder(1))

    # The page's rendering of what Telegram would show: the bot's own Bot sends a reply keyboard.
    keys = ReplyKeyboardMarkup([[KeyboardButton("📍 发送位置", request_location=True)], ["取消"]],
                               resize_keyboard=True)
    await demo.app.bot.send_message(2001, "请发送您的位置", reply_markup=keys)
    await browser.wait_for(f"!!{phone(1)}.querySelector('.reply-keys button[data-location]')",
                           what="the reply keyboard under the input")
    assert "取消" in await browser.evaluate(f"{phone(1)}.querySelector('.reply-keys').innerText")
    await browser.screenshot(ARTIFACTS / "demo-400.png", full_page=True)
    await browser.evaluate(f"{phone(1)}.querySelector('.reply-keys button[data-location]').click()")
    await browser.wait_for(shows(1, "📍 位置 34.2655, 108.9542"), what="the shared location in the chat")
    shared = [e for e in demo.emu.events(2001) if e.kind == "location" and not e.from_bot]
    assert [e.location for e in shared] == [(34.2655, 108.9542)]  # the venue, where the demo's phones are


async def test_the_officer_pastes_the_holiday_notice_and_sees_the_preview(demo, browser):
    """The third phone switched to the officer 刘志强: the State Council's notice pasted with its line breaks into the
    box comes back as the year's preview with 确认录入 and 放弃 — nothing is stored before the tap."""
    notice = (Path(__file__).resolve().parents[1] / "data" / "holiday_notice_2027.txt").read_text(encoding="utf-8")
    await browser.resize(1400)
    await browser.wait_for(READY, what="the page to load")
    await browser.evaluate(f"(() => {{ const s = {phone(2)}.querySelector('.who'); s.value = '{OFFICER[0]}';"
                           " s.dispatchEvent(new Event('change')); return true; })()")
    await browser.wait_for(f"{holder(2)}.startsWith('刘志强')", what="the phone to be the officer's")
    await browser.evaluate(type_into(2, notice))
    await browser.wait_for(shows(2, "2027年节假日安排预览"), what="the preview on the officer's phone")
    chat = await browser.evaluate(f"{phone(2)}.querySelector('.chat').innerText")
    assert "国庆节：10月1日（周五）至10月7日（周四）放假" in chat and "确认录入" in chat
    await browser.screenshot(ARTIFACTS / "demo-holiday-notice.png")


def _roster_workbook() -> bytes:
    """A small office roster: one new member for the demo's first branch."""
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "所在党支部", "党员类别"])
    sheet.append(["郑晓东", "男", "城关镇第一党支部", "正式党员"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


async def test_the_officer_sends_a_roster_file_from_the_computer_with_the_paperclip(demo, browser):
    """📎 on the officer's phone sends a file chosen on the visitor's computer (here a roster .xlsx put into the
    file picker) as a document: the file shows in his chat and the bot answers with the import preview."""
    import base64

    await browser.resize(1400)
    await browser.wait_for(READY, what="the page to load")
    await browser.evaluate(f"(() => {{ const s = {phone(2)}.querySelector('.who'); s.value = '{OFFICER[0]}';"
                           " s.dispatchEvent(new Event('change')); return true; })()")
    await browser.wait_for(f"{holder(2)}.startsWith('刘志强')", what="the phone to be the officer's")
    assert await browser.evaluate(f"!!{phone(2)}.querySelector('button.file')")
    encoded = base64.b64encode(_roster_workbook()).decode()
    await browser.evaluate(
        f"(() => {{ const bytes = Uint8Array.from(atob('{encoded}'), c => c.charCodeAt(0));"
        " const file = new File([bytes], '名册.xlsx', {type: 'application/vnd.openxmlformats-officedocument"
        ".spreadsheetml.sheet'}); const picked = new DataTransfer(); picked.items.add(file);"
        f" const input = {phone(2)}.querySelector('.file-input'); input.files = picked.files;"
        " input.dispatchEvent(new Event('change')); return true; })()")
    await browser.wait_for(shows(2, "📎 名册.xlsx"), what="the file in the officer's chat")
    await browser.wait_for(shows(2, "确认导入"), what="the roster preview")
    sent = [e for e in demo.emu.events(OFFICER[0]) if e.kind == "document" and not e.from_bot]
    assert [e.file_name for e in sent] == ["名册.xlsx"]
    await browser.screenshot(ARTIFACTS / "demo-roster-file.png")
