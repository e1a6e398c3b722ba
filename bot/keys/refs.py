"""References between records: what a submission is for (`ref`), what a filing holds (`ref`), and what an audit
entry is about (`subject`). One kind of thing, one kind of reference: `meeting:42` is the meeting a leave request,
make-up or record belongs to, and the meeting an audit entry is about."""

from bot.keys import DAY, SECOND, Key

meeting = Key("meeting:{meeting}", meeting=int)
evaluation = Key("evaluation:{campaign}", campaign=int)  # a self-evaluation's campaign; a filed register
submission = Key("submission:{submission}", submission=int)  # a filed record; an audit entry about a request
member = Key("member:{member}", member=int)
branch = Key("branch:{branch}", branch=int)
unit = Key("unit:{unit}", unit=int)
invite = Key("invite:{invite}", invite=int)
chat = Key("chat:{chat}", chat=int)  # a group chat bound to a branch
notice = Key("notice:{notice}", notice=int)
officer_notice = Key("officer_notice:{notice}", notice=int)
period = Key("period:{period}", period=str)  # a month's county-wide theme: 2026-12
followup = Key("followup:{followup}", followup=int)
filing = Key("filing:{filing}", filing=int)  # a record filed with the unit above (its review)
task = Key("task:{task}", task=int)  # a unit's task to its branches (材料报送); a branch's submission for it
roster = Key("roster")  # a roster import
quiz_bank = Key("quiz-bank:{bank}", bank=int)  # a 学习测试 question bank (its import in the audit log)
quiz_item = Key("quiz-item:{item}", item=int)  # a member's drawn question: what its poll's id is recorded against
# Records handed in on their own rather than for an event: when they were started keeps them apart.
# A draft of a kind with no event (a thought report): its kind and when it was begun (-2, -3 … for another begun
# in the same second).
begun = Key("{kind}:{at}", kind=str, at=SECOND)
begun_again = Key("{kind}:{at}-{number}", kind=str, at=SECOND, number=int)
away = Key("away:{start}:{at}", start=DAY, at=int)  # standing leave (长期请假) from `start`; `at`: Unix seconds
