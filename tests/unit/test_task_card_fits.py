"""A task's progress card (templates/tasks/view.j2) is edited in place, so it must stay one message: with the
longest task text and a county's worth of branches in every state, the fitted card is within Telegram's limit,
keeps the words around the lists, and caps each list of names."""

from bot import fit
from bot.domain.tasks import BODY_MAX, TITLE_MAX
from bot.render import plain_text, render
from bot.textsplit import TELEGRAM_LIMIT, weight


def _names(prefix: str, count: int) -> list[str]:
    return [f"{prefix}第{i}党支部（城关镇某某社区联合）" for i in range(1, count + 1)]


def _params() -> dict:
    task = {"id": 1, "title": "题" * TITLE_MAX, "body": "要" * BODY_MAX, "unit": "城关镇党委", "file_name": "模板.docx",
            "has_file": True, "deadline": "2026年12月20日", "status": "open", "overdue": False,
            "counts": {"approved": 60, "waiting": 60, "returned": 60, "missing": 60},
            "missing": _names("未", 60), "returned": _names("退", 60), "waiting": _names("待", 60),
            "approved": _names("过", 60), "total": 240}
    return {"t": task, "urged": _names("催", 60)}


def test_the_longest_task_with_many_branches_fits_one_message():
    """Unfitted, such a card would be too long; fitted, it is one message that still names the counts, the first
    branches missing and how many there are, and shortens only the task's own words."""
    params = _params()
    assert weight(plain_text(render("tasks/view.j2", **params))) > TELEGRAM_LIMIT
    fitted, cut = fit.fit("tasks/view.j2", params, key="t")
    text = plain_text(render("tasks/view.j2", **fitted))
    assert cut and weight(text) <= TELEGRAM_LIMIT
    assert "已通过 60 · 待审核 60 · 已退回 60 · 未报送 60" in text
    assert "未第1党支部" in text and "等 60 个" in text and "未第31党支部" not in text
    assert "今天已催办" in text and "催第31党支部" not in text
