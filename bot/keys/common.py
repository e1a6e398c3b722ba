"""Keys of the messages every feature shares, and of the engine's own marks."""

from bot.keys import DAY, SECOND, Key

# A one-off message without a key of its own (a random token keeps it apart).
one_off = Key("{kind}:{token}", kind=str, token=str)
saved = Key("saved:{update}", update=int)  # "what you did was saved" after a lost answer, one per update
unreachable = Key("unreachable:{member}:{at}", member=int, at=SECOND)  # to a secretary
pruned = Key("outbox:prune:{day}", day=DAY)  # mark: the outbox pruned that day
# mark: the officer was given the ☰ menu whose command list hashes to this (a changed list is a new key)
officer_menu = Key("menu:officer:{officer}:{menu}", officer=int, menu=str)
