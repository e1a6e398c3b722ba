import pytest

from bot.domain.names import unusual
from bot.domain.roles import Role, title
from bot.errors import UserError
from bot.services.membership import clean_name


@pytest.mark.parametrize("text", ["张建国", " 李 四 ", "阿依古丽·买买提", "John Smith"])
def test_real_names_accepted(text):
    """Chinese names, names with the middle dot, and Latin names are accepted (spaces normalised)."""
    assert clean_name(text) == " ".join(text.split())


@pytest.mark.parametrize("text", ["", "   ", "12345", "张三" * 11, "/start", "王<b>五</b>"])
def test_bad_names_refused(text):
    """Empty, numeric, over-long, command-like and markup names are refused with the name template."""
    with pytest.raises(UserError) as raised:
        clean_name(text)
    assert raised.value.template == "join/bad_name.j2"


def test_title_lists_posts_then_membership():
    """A secretary who is probationary reads 支部书记、预备党员; a plain member reads 党员."""
    assert title(frozenset({Role.SECRETARY})) == "支部书记、党员"
    assert title(frozenset({Role.PROBATIONARY, Role.ORGANIZER})) == "组织委员、预备党员"
    assert title(frozenset()) == "党员"


@pytest.mark.parametrize("name", ["张建国", "李红", "欧阳修文", "阿依古丽·买买提", "司马懿"])
def test_usual_names_pass_without_a_second_look(name):
    """Two to four Chinese characters, or a minority name with its middle dot: no question asked."""
    assert not unusual(name)


@pytest.mark.parametrize("name", ["asdf", "John Smith", "test", "王", "哈哈", "啊啊啊", "测试", "管理员", "张王李赵刘陈",
                                  "qwerty", "阿·"])
def test_unusual_names_are_questioned(name):
    """Latin letters, one character or five and more, a repeated character, keyboard runs and placeholder words
    are worth a second look before they reach the secretary."""
    assert unusual(name)
