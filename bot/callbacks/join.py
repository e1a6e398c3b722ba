"""The approvers' join card: 通过 / 驳回."""

from bot.callbacks import Action

P = "join"
approve = Action(P, "ok", int)  # member id
reject = Action(P, "no", int)  # member id
