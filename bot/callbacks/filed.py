"""Review of filed records (备案审阅): the list, a record's card, 已审阅 / 退回, and the record's file again."""

from bot.callbacks import Action

P = "fr"
listing = Action(P, "l", int)  # page
card = Action(P, "v", int)  # filing id
reviewed = Action(P, "ok", int)  # filing id: 已审阅
send_back = Action(P, "no", int)  # filing id: 退回 (asks for the reason)
file = Action(P, "f", int)  # filing id: the record's file again
