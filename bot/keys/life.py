"""Keys of a 民主生活会's messages (a meeting a unit hosts): its own prefix, so no branch meeting's scope or parse
(bot/keys/meetings.py, `meeting:…`) ever takes one of them."""

from bot.keys import FREE, Key

every = Key("lifemeet:{meeting}:{rest}", meeting=int, rest=FREE)
notice = Key("lifemeet:{meeting}:notice:to:{person}", meeting=int, person=int)
eve = Key("lifemeet:{meeting}:eve:to:{person}", meeting=int, person=int)
leave = Key("lifemeet:{meeting}:leave:{person}:to:{officer}", meeting=int, person=int, officer=int)
decided = Key("lifemeet:{meeting}:leave-decided:{person}", meeting=int, person=int)
statement = Key("lifemeet:{meeting}:statement:{person}", meeting=int, person=int)
statement_eve = Key("lifemeet:{meeting}:statement-eve:{person}", meeting=int, person=int)
record = Key("lifemeet:{meeting}:record:to:{officer}", meeting=int, officer=int)
criticism = Key("lifemeet:{meeting}:criticism:{person}", meeting=int, person=int)
cancelled = Key("lifemeet:{meeting}:cancelled:to:{person}", meeting=int, person=int)
