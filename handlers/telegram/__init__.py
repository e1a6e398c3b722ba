"""Telegram plumbing shared by every feature: keyboards and replies, send pacing and ordering, delivery of queued
messages, command menus, the error handler and the catch-alls. Feature modules live one level up, in handlers/."""
