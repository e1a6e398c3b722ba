"""/minutes: pick a meeting, the form's buttons, submit."""

from bot.callbacks import Action

P = "mn"
pick = Action(P, "p", int)  # meeting id
submit = Action(P, "s", int)  # submission id
confirm = Action(P, "c", int)  # submission id
no_resolutions = Action(P, "n", int)  # submission id
photos_done = Action(P, "d", int)  # submission id
photos_clear = Action(P, "x", int)  # submission id
edit_field = Action(P, "e", int, str)  # submission id, field name
view = Action(P, "v", int)  # submission id
field_done = Action(P, "f", int)  # submission id: ▶️ 下一项 (or ✅ 完成) after a long field's parts
append = Action(P, "a", int)  # submission id: editing a long field, what comes next is added after its text
replace = Action(P, "r", int)  # submission id: editing a long field, what comes next replaces its text
# What each form button asks minutes.press to do.
PRESSES = {confirm: "confirm", no_resolutions: "none", photos_done: "done", photos_clear: "clear", view: "view",
           field_done: "next", append: "append", replace: "replace"}
