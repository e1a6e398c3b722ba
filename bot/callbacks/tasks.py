"""Tasks from above (材料报送): the officer's form (targets, file, preview), the task's card (催办, close), and the
secretary's 提交材料."""

from bot.callbacks import Action

P = "tk"
new = Action(P, "n")  # ➕ a new task (or the draft under way)
target = Action(P, "t", int, int)  # task id, unit id: the branches under that unit
skip_file = Action(P, "s", int)  # task id: no template file
publish = Action(P, "p", int)  # task id
edit = Action(P, "e", int, str)  # task id, field: title | body | deadline | file | targets
discard = Action(P, "x", int)  # task id: the draft is dropped
listing = Action(P, "l")  # the officer's tasks
card = Action(P, "v", int)  # task id: its progress
urge = Action(P, "u", int)  # task id: 催办 the branches still missing
close = Action(P, "c", int)  # task id: asks to confirm
close_confirmed = Action(P, "C", int)  # task id
submit = Action(P, "h", int)  # task id: the secretary's 提交材料
