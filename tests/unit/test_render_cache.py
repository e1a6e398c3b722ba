"""Templates and button labels come from memory: no file is looked at again per message, and a cached label is
always the one its values give."""

from __future__ import annotations

from bot import render
from bot.render import environment, label


def test_templates_are_not_checked_on_disk_per_use():
    """In production jinja2 keeps each template compiled and never stats its file again; all of them fit."""
    env = environment()
    assert env.auto_reload is render.RELOAD is False
    assert env.cache is not None and not hasattr(env.cache, "capacity")  # unbounded: over 400 templates


def test_a_cached_label_follows_its_values():
    """The same label asked with other values reads differently, and asked again with the first values reads as
    it first did."""
    first = label("meetings/person", name="李红梅")
    assert label("meetings/person", name="赵建国") != first
    assert label("meetings/person", name="李红梅") == first and "李红梅" in first


def test_labels_of_objects_are_made_afresh():
    """A value compared by identity is never a cache key: a new object with other contents gives its own label."""
    class Box:
        def __init__(self, text: str) -> None:
            self.text = text

        def __str__(self) -> str:
            return self.text

    assert "甲" in label("meetings/person", name=Box("甲"))
    assert "乙" in label("meetings/person", name=Box("乙"))


def test_equal_values_of_other_types_are_other_keys():
    """1, 1.0 and True are equal as keys but read differently: each gets the label its own value gives."""
    assert "1.0" in label("meetings/person", name=1.0)
    assert "1.0" not in label("meetings/person", name=1)
    assert "True" in label("meetings/person", name=True)
