"""/units → 👁 巡查人员: a unit's inspectors (read-only people), added by Telegram id and removed with a tap."""

from bot.callbacks import Action

P = "isp"
listing = Action(P, "l", int)  # unit id: its inspectors, each with 移除
add = Action(P, "a", int)  # unit id: asks for a Telegram id
remove = Action(P, "r", int, int)  # unit id, the inspector's Telegram id
