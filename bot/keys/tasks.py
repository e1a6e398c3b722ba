"""Keys of the messages of tasks from above (材料报送): the task to each branch's secretaries, the reminders before
its deadline, and 催办."""

from bot.keys import DAY, Key, starting

issued = Key("task:{task}:issued:to:{member}", task=int, member=int)
# 3 days and 1 day before the last day; `remind.scope(task)` is every one of the task's reminders.
remind = Key("task:{task}:{when}:branch:{branch}:to:{member}", task=int, when=starting("remind-"), branch=int,
             member=int)
urged = Key("task:{task}:urge:{day}:branch:{branch}:to:{member}", task=int, day=DAY, branch=int, member=int)
