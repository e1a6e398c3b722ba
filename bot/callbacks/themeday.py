"""/themeday: change a setting, back to the view, more options."""

from bot.callbacks import Action

P = "td"
change = Action(P, "set", str)  # setting: rule, time, place, theme, details, venue
view = Action(P, "view")
more = Action(P, "more")
option = Action(P, "opt", str, int)  # option name, value
no_venue = Action(P, "novenue")
