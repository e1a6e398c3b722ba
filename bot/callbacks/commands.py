"""A button that opens a command, as if it were typed: the digest's sections and a person's to-do list point to
/pending, /dues, /talk … with one tap. Only the commands listed here can be opened this way; the command itself
checks who pressed it, as when typed."""

from enum import StrEnum

from bot.callbacks import Action


class Command(StrEnum):
    PENDING = "pending"
    DUES = "dues"
    EVALUATION = "evaluation"
    TALK = "talk"
    SELFEVAL = "selfeval"
    PEEREVAL = "peereval"
    REPORT = "report"
    MINUTES = "minutes"
    MAKEUP = "makeup"
    ATTENDANCE = "attendance"
    MEETING = "meeting"
    MEMBERS = "members"
    NOTICE = "notice"
    INVITE = "invite"
    THEMEDAY = "themeday"
    SETTINGS = "settings"
    HELP = "help"
    OVERVIEW = "overview"
    UNITS = "units"


P = "go"
open_command = Action(P, "c", Command)
