"""The demo's question bank for 学习测试: a few questions on the Party Constitution and 三会一课, written as the
Excel file a secretary would upload (header row 题目 / 选项A… / 答案 / 解析), so the demo reads it the real way."""

from __future__ import annotations

from io import BytesIO

QUESTIONS = (
    ("党的最高理想和最终目标是什么？", ("实现共产主义", "全面建成小康社会", "实现乡村振兴", "建成现代化强国"), "A",
     "党章总纲：党的最高理想和最终目标是实现共产主义。"),
    ("党支部党员大会一般多长时间召开一次？", ("每月一次", "每季度一次", "每半年一次", "每年一次"), "B",
     "“三会一课”：支部党员大会一般每季度召开一次。"),
    ("党支部委员会会议一般多长时间召开一次？", ("每周一次", "每月一次", "每季度一次"), "B",
     "支部委员会会议一般每月召开一次。"),
    ("预备党员的预备期为多长时间？", ("半年", "一年", "两年"), "B", "党章第七条：预备党员的预备期为一年。"),
    ("党员连续几个月不交纳党费、不参加党的组织生活，被认为是自行脱党？", ("三个月", "六个月", "十二个月"), "B",
     "党章第九条：没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是自行脱党。"),
    ("“三会一课”中的“一课”指的是什么？", ("党课", "团课", "业务培训课"), "A", "按时上好党课，党支部每季度至少上一次党课。"),
    ("民主评议党员一般多长时间进行一次？", ("每半年", "每年", "每两年"), "B", "民主评议党员一般每年开展一次。"),
    ("主题党日一般多长时间开展一次？", ("每周", "每月", "每季度"), "B", "党支部每月相对固定一天开展主题党日。"),
)


def bank_xlsx() -> bytes:
    import openpyxl  # only the demo's start needs it

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "题库"
    sheet.append(["题目", "选项A", "选项B", "选项C", "选项D", "答案", "解析"])
    for question, options, answer, explanation in QUESTIONS:
        sheet.append([question, *options, *[None] * (4 - len(options)), answer, explanation])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
