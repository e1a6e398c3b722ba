"""党费: the member's 已交党费 on the theme-day reminder, the collector's 确认 / 代缴, and /dues' month list."""

from bot.callbacks import Action

P = "du"
paid = Action(P, "pd", int)  # meeting id (a theme day): the member says they paid that month
confirm = Action(P, "cf", int, int)  # member id, period code (202612)
undo = Action(P, "un", int, int)  # member id, period code: 撤销 a confirmation
confirm_listed = Action(P, "cl", int, int)  # member id, period code: 记为已收 on /dues' list (shown again after)
proxy = Action(P, "dj", int, int)  # member id, period code: 代缴, asks who paid
amount = Action(P, "am", int)  # member id: set the member's monthly dues standard (from /members or /dues)
standards = Action(P, "sl")  # /dues' 设定党费标准: the branch's members, each to tap for their standard
standards_page = Action(P, "sp", int)  # page of that list (a branch may have more members than fit on one)
own_amount = Action(P, "oa", int)  # meeting id (a theme day): the member paid another amount than the standard
