"""Keys of notices (通知): a branch's copies, nudges and group post, and an officer's notice to branches."""

from bot.keys import MINUTE, Key

copy = Key("notice:{notice}:member:{member}", notice=int, member=int)
group = Key("notice:{notice}:group", notice=int)
auto_nudge = Key("notice:{notice}:nudge-auto:member:{member}", notice=int, member=int)  # scope: `auto_nudge.scope(id)`
nudge = Key("notice:{notice}:nudge@{at}:member:{member}", notice=int, at=MINUTE, member=int)  # 催办 by hand
officer_copy = Key("onotice:{notice}:member:{member}", notice=int, member=int)
