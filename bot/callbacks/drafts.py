"""Drafting (make-ups, thought reports, …): the buttons under a draft, for every kind alike; the submission's own
kind says what it is, and the presser is checked to be its author."""

from bot.callbacks import Action

P = "df"
submit = Action(P, "s", int)  # submission id
preview = Action(P, "p", int)  # submission id
clear = Action(P, "x", int)  # submission id
