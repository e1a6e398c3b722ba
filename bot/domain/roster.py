"""Reading an office's roster: which column is which (Chinese headers, any order, extra columns ignored) and
what each row says, or why a row is bad. Pure: takes the cell values, no files and no database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.domain import when
from bot.domain.dues import parse_yuan
from bot.domain.roles import Role

# Each field and the headers offices use for it (全国党员管理信息系统 exports and hand-kept sheets).
MEMBER_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("姓名",),
    "gender": ("性别",),
    "birth_date": ("出生日期", "出生年月", "出生年月日"),
    "ethnicity": ("民族",),
    "education": ("学历", "文化程度", "最高学历"),
    "category": ("党员类别", "人员类别", "党员类型"),
    "joined_on": ("入党日期", "入党时间"),
    "confirmed_on": ("转正日期", "转正时间"),
    "branch": ("所在党支部", "所在支部", "党支部", "所在党组织"),
    "group": ("党小组", "所在党小组"),
    "post": ("职务", "党内职务"),
    "phone": ("联系电话", "手机号码", "手机号", "手机", "电话"),
    "dues": ("月缴纳党费", "每月应缴党费", "党费标准", "缴纳标准", "每月党费", "月缴党费", "应缴党费"),
}
ORG_HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("组织名称", "党组织名称", "名称"),
    "parent": ("上级组织", "上级党组织", "上级党委", "上级"),
    "kind": ("类型", "组织类别", "类别", "组织类型"),
    "secretary": ("书记", "支部书记", "书记姓名"),
}
DATE_FIELDS = ("birth_date", "joined_on", "confirmed_on")
LABELS = {"birth_date": "出生日期", "joined_on": "入党日期", "confirmed_on": "转正日期", "gender": "性别",
          "category": "党员类别", "phone": "联系电话", "group": "党小组"}
# 职务 as written → the role it carries in the branch (roles are added, never taken away by an import).
POST_ROLES: tuple[tuple[str, Role], ...] = (
    ("副书记", Role.DEPUTY), ("书记", Role.SECRETARY), ("组织委员", Role.ORGANIZER), ("宣传委员", Role.PROPAGANDA),
    ("纪检委员", Role.DISCIPLINE), ("党小组长", Role.GROUP_LEADER), ("小组长", Role.GROUP_LEADER),
)
_NAME = re.compile(r"^[\u4e00-\u9fff·•A-Za-z][\u4e00-\u9fff·•A-Za-z .'-]{0,19}$")
_PHONE = re.compile(r"^[0-9+\- ]{5,20}$")


def _norm(header: object) -> str:
    return re.sub(r"\s+", "", str(header or "")).replace("（", "(").split("(")[0]


def find_columns(row: list[object], known: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """field → column index for the headers found in the row."""
    found: dict[str, int] = {}
    for index, header in enumerate(row):
        text = _norm(header)
        for name, aliases in known.items():
            if name not in found and text in aliases:
                found[name] = index
    return found


QUOTE_MAX = 100  # characters of a cell a message quotes back (a hostile cell may hold millions)


def shown(value: object) -> str:
    """A cell as a message quotes it: at most QUOTE_MAX characters, an ellipsis for the rest."""
    written = text(value)
    return written if len(written) <= QUOTE_MAX else written[:QUOTE_MAX] + "…"


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def read_date(value: object) -> str | None:
    """An ISO date from a date cell or the ways offices type one (1980-05-01, 1980/5/1, 19800501, 1980.05, 1980年5月),
    read by bot.domain.when (a month alone is its first day); '' for an empty cell; None when it cannot be read or
    the day does not exist."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raw = text(value)
    if re.fullmatch(r"\d{8}", raw):
        raw = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
    day = when.read_written_day(raw)
    if not isinstance(day, when.Refusal):
        return day.isoformat()
    if day.reason == when.BAD_DATE or not re.match(r"^\d{4}", raw):
        return None
    month = when.read_month(raw.rstrip("月"), date(2100, 12, 31))
    return None if isinstance(month, when.Refusal) else date(*month, 1).isoformat()


def read_dues(value: object) -> int | None:
    """The monthly dues standard in fen from a number cell (12.5) or typed text ('12.50元', '￥12'); None for an
    empty cell; ValueError when it cannot be read as an amount."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):  # a number cell: 12.5, or 12.499999999 from a formula
        value = f"{value:.6f}".rstrip("0").rstrip(".")
    return parse_yuan(str(value))


def category_of(value: str) -> str | None:
    """'正式' or '预备' ('' counts as 正式); None for anything else."""
    if value in ("", "正式", "正式党员"):
        return "正式"
    if value in ("预备", "预备党员"):
        return "预备"
    return None


def roles_of(post: str, category: str) -> frozenset[Role]:
    roles = set()
    rest = post
    for word, role in POST_ROLES:
        if word in rest:
            roles.add(role)
            rest = rest.replace(word, "")
    if category == "预备":
        roles.add(Role.PROBATIONARY)
    return frozenset(roles)


@dataclass
class MemberRow:
    row: int
    name: str
    branch: str
    group: str | None
    profile: dict[str, str | None]
    roles: frozenset[Role] = frozenset()
    columns: frozenset[str] = frozenset()  # the fields the file has a column for (others are left as they are)
    dues_fen: int | None = None  # 党费标准 per month; None: the cell is empty (an existing standard stays)
    sheet: str = "党员"


@dataclass
class OrgRow:
    row: int
    name: str
    parent: str
    kind: str
    secretary: str
    sheet: str = "组织"

    @property
    def is_branch(self) -> bool:
        return "支部" in self.kind.replace("总支", "") or (not self.kind and self.name.endswith("支部")
                                                           and not self.name.endswith("总支部"))


@dataclass
class BadRow:
    sheet: str
    row: int
    reason: str


@dataclass
class Parsed:
    orgs: list[OrgRow] = field(default_factory=list)
    members: list[MemberRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)


def parse_member(number: int, cells: dict[str, object]) -> MemberRow | str:
    """One member row, or the reason it is bad (in Chinese)."""
    name = text(cells.get("name"))
    if not name:
        return "姓名为空"
    if not _NAME.match(name):
        return f"姓名「{shown(name)}」格式不对（应为汉字或字母，最多 20 个字）"
    branch = text(cells.get("branch"))
    if not branch:
        return "所在党支部为空"
    profile: dict[str, str | None] = {}
    for key in DATE_FIELDS:
        value = read_date(cells.get(key))
        if value is None:
            return f"{LABELS[key]}「{shown(cells.get(key))}」无法识别（应如 1980-05-01）"
        profile[key] = value or None
    gender = text(cells.get("gender"))
    if gender not in ("", "男", "女"):
        return f"性别「{shown(gender)}」应为 男 或 女"
    category = category_of(text(cells.get("category")))
    if category is None:
        return f"党员类别「{shown(cells.get('category'))}」应为 正式党员 或 预备党员"
    phone = text(cells.get("phone"))
    if phone and not _PHONE.match(phone):
        return f"联系电话「{shown(phone)}」不像电话号码"
    try:
        dues_fen = read_dues(cells.get("dues"))
    except ValueError:
        return f"党费标准「{shown(cells.get('dues'))}」无法识别（应为每月金额，如 12.50）"
    post = text(cells.get("post"))
    profile.update(gender=gender or None, ethnicity=text(cells.get("ethnicity")) or None,
                   education=text(cells.get("education")) or None, category=category, post=post or None,
                   phone=phone or None)
    return MemberRow(number, name, branch, text(cells.get("group")) or None, profile, roles_of(post, category),
                     dues_fen=dues_fen)


def parse_org(number: int, cells: dict[str, object]) -> OrgRow | str:
    name = text(cells.get("name"))
    if not name:
        return "组织名称为空"
    if len(name) > 40:
        return f"组织名称「{name[:20]}…」超过 40 个字"
    secretary = text(cells.get("secretary"))
    if secretary and not _NAME.match(secretary):
        return f"书记姓名「{shown(secretary)}」格式不对"
    return OrgRow(number, name, text(cells.get("parent")), text(cells.get("kind")), secretary)


def member_key(branch_id: int, name: str, birth_date: str | None) -> tuple[int, str, str | None]:
    return (branch_id, name, birth_date)
