"""在职党员到社区报到: the community's 确认 of a registration and of a service logged, the member's claiming of a
post and the 记录服务 that opens the service form; the secretary's 设岗. Every press is re-checked: the community's
secretary (or deputy; 党小组长 too for a service) confirms, never for themselves; only the registered member
claims posts and logs service."""

from bot.callbacks import Action

P = "cs"
confirm = Action(P, "c", int)  # registration id
claim = Action(P, "p", int, int)  # registration id, post id: claim or give up
posts = Action(P, "l", int)  # registration id: the posts to claim
log = Action(P, "h", int)  # registration id: log a service
service = Action(P, "s", int)  # service id: confirm it
set_posts = Action(P, "g")  # the community's secretary sets its posts
