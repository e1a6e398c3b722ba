"""Keys of 学习测试's messages: the test announced, each drawn question's poll, the score at the end."""

from bot.keys import Key

announce = Key("quiz:{quiz}:member:{member}:start", quiz=int, member=int)
question = Key("quiz:{quiz}:member:{member}:q:{seq}", quiz=int, member=int, seq=int)
done = Key("quiz:{quiz}:member:{member}:done", quiz=int, member=int)
