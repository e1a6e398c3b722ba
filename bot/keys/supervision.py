"""Keys of supervision that follows through: the follow-up items' deadlines passing, the yearly 述职评议 and its
quarterly checks, 约谈, and the six-month alarm — outbox keys, marks, and the references their records carry."""

from bot.keys import DAY, SECOND, TEXT, Key, stamp

# --- the follow-up items (the one mechanism: not 不合格 only) -------------------------------------------------------
# The officers hear that the step under way is overdue; the deadline in the key: a moved deadline is a new notice.
overdue = Key("followup:{followup}:overdue:{deadline}:to:{officer}", followup=int, deadline=stamp("%Y%m%d"),
              officer=int)
plan_asked = Key("followup:{followup}:plan-asked:{at}:to:{member}", followup=int, at=SECOND, member=int)
# What an item's drafts are for (a submission's ref): its plan (整改方案) and its evidence, the `attempt`-th (a
# turned-down one is drafted anew).
plan_ref = Key("followup:{followup}:plan:{attempt}", followup=int, attempt=int)
evidence_ref = Key("followup:{followup}:evidence:{attempt}", followup=int, attempt=int)

# --- 述职评议 ---------------------------------------------------------------------------------------------------------
shuzhi_source = Key("shuzhi:{report}", report=int)  # what a problem's item came from: a branch's 述职 of a round
report_ref = Key("shuzhi-report:{report}", report=int)  # the secretary's 述职 (a submission's ref)
opened = Key("shuzhi-cycle:{cycle}:opened:{branch}:to:{member}", cycle=int, branch=int, member=int)
# Before the round's deadline, to the secretaries who have not handed in; the deadline in the key.
report_reminder = Key("shuzhi-cycle:{cycle}:remind-{days}d:{deadline}:{branch}:to:{member}", cycle=int, days=int,
                      deadline=stamp("%Y%m%d"), branch=int, member=int)
cycle_messages = Key("shuzhi-cycle:{cycle}:{rest}", cycle=int, rest=TEXT)
late = Key("shuzhi-cycle:{cycle}:late:{deadline}:to:{officer}", cycle=int, deadline=stamp("%Y%m%d"), officer=int)
problems = Key("shuzhi-report:{report}:problems:{at}:to:{member}", report=int, at=SECOND, member=int)
evaluated = Key("shuzhi-report:{report}:evaluated:{at}:to:{member}", report=int, at=SECOND, member=int)
# Each quarter the unit's officers check the problems still open (`quarter`: 2027Q2).
check = Key("shuzhi-check:{unit}:{quarter}:to:{officer}", unit=int, quarter=TEXT, officer=int)
checks_planned = Key("shuzhi-check:planned:{day}", day=DAY)  # the day's planning of the checks, done once

# --- 约谈 -----------------------------------------------------------------------------------------------------------
yuetan_source = Key("yuetan:{yuetan}", yuetan=int)  # the item a 约谈's rectification is, and its record
yuetan_messages = Key("yuetan:{yuetan}:{rest}", yuetan=int, rest=TEXT)
notice = Key("yuetan:{yuetan}:notice:{at}:to:{member}", yuetan=int, at=stamp("%Y%m%d%H%M"), member=int)
eve = Key("yuetan:{yuetan}:eve:{at}:to:{member}", yuetan=int, at=stamp("%Y%m%d%H%M"), member=int)
record = Key("yuetan:{yuetan}:record:{at}:to:{officer}", yuetan=int, at=stamp("%Y%m%d%H%M"), officer=int)
report_asked = Key("yuetan:{yuetan}:report-asked:to:{member}", yuetan=int, member=int)
cancelled = Key("yuetan:{yuetan}:cancelled:to:{member}", yuetan=int, member=int)

# --- the six-month alarm --------------------------------------------------------------------------------------------
alarm = Key("lapse:{alarm}:{rest}", alarm=int, rest=TEXT)  # any message of an alarm
to_member = Key("lapse:{alarm}:level-{level}:to:{member}", alarm=int, level=int, member=int)
to_officer = Key("lapse:{alarm}:level-{level}:officer:{officer}", alarm=int, level=int, officer=int)
lapse_pass = Key("lapse-pass:{day}", day=DAY)  # the county's daily pass, done once a day
