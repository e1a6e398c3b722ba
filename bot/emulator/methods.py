"""The Bot API methods the emulator speaks, each checking its input the way Telegram does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.emulator.model import (
    REMOVE_KEYBOARD,
    Button,
    KeyButton,
    Message,
    ReplyKeyboard,
    bad_request,
)
from bot.emulator.telegram_html import HtmlError, to_plain, utf16_length
from bot.emulator.webhook import SECRET as WEBHOOK_SECRET
from bot.emulator.webhook import Webhook
from bot.emulator.webhook import check_url as check_webhook_url

if TYPE_CHECKING:
    from bot.emulator.server import Emulator

Method = Callable[["Emulator", dict[str, Any]], Awaitable[Any]]
_METHODS: dict[str, Method] = {}
TEXT_LIMIT = 4096  # characters of a message or an edit, counted after entity parsing (in UTF-16 code units)
CAPTION_LIMIT = 1024
BUTTON_LIMIT = 100  # buttons on one inline keyboard
ANSWER_LIMIT = 200  # characters of a callback query's answer
# What Telegram answers when a text or caption is over its limit: a new message and an edit are refused in
# different words (the edit's come straight from Telegram's servers, in capitals).
TOO_LONG = {("text", False): "message is too long", ("text", True): "MESSAGE_TOO_LONG",
            ("caption", False): "message caption is too long", ("caption", True): "MEDIA_CAPTION_TOO_LONG"}
COMMAND_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


def method(fn: Method) -> Method:
    _METHODS[fn.__name__.lower()] = fn
    return fn


def lookup(name: str) -> Method | None:
    """Telegram's method names are case-insensitive."""
    return _METHODS.get(name.lower())


# --- parameter helpers ------------------------------------------------------------------------------------------

def _int(params: dict[str, Any], key: str, default: int | None = None) -> int:
    value = params.get(key, default)
    if value is None:
        raise bad_request(f"{key} is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_request(f"invalid {key} specified") from None


def _bool(params: dict[str, Any], key: str) -> bool:
    return params.get(key) in (True, "true", "True", "1", 1)


def _styled(params: dict[str, Any], key: str, limit: int, required: bool, edit: bool = False) -> tuple[str, str | None]:
    """(plain text, html or None) of a text/caption parameter, refused as Telegram refuses it (`edit`: in the words
    of an edit)."""
    raw = params.get(key)
    if raw is None or raw == "":
        if required:
            raise bad_request("message text is empty")
        return "", None
    raw = str(raw)
    html = None
    if str(params.get("parse_mode", "")).upper() == "HTML":
        try:
            plain = to_plain(raw)
        except HtmlError as error:
            raise bad_request(f"can't parse entities: {error}") from None
        html = raw
    else:
        plain = raw
    if required and not plain.strip():
        raise bad_request("message text is empty")
    if utf16_length(plain) > limit:
        raise bad_request(TOO_LONG[key, edit])
    return plain, html


def _buttons(params: dict[str, Any]) -> tuple[tuple[Button, ...], ...]:
    markup = params.get("reply_markup")
    if not markup or not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return ()
    if sum(len(row) for row in markup["inline_keyboard"]) > BUTTON_LIMIT:
        raise bad_request("reply markup is too long")
    rows = []
    for row in markup["inline_keyboard"]:
        buttons = []
        for button in row:
            label = button.get("text") or ""
            if not label.strip():
                raise bad_request("BUTTON_TEXT_INVALID")
            data, url = button.get("callback_data"), button.get("url")
            if data is not None and not 1 <= len(data.encode()) <= 64:
                raise bad_request("BUTTON_DATA_INVALID")
            if data is None and url is None:
                raise bad_request("can't parse inline keyboard button: button must have exactly one optional field")
            buttons.append(Button(label, data, url))
        if buttons:
            rows.append(tuple(buttons))
    return tuple(rows)


def _reply_keyboard(params: dict[str, Any]) -> ReplyKeyboard | None:
    """A ReplyKeyboardMarkup (or ReplyKeyboardRemove) sent with a message; None when the message brings neither."""
    markup = params.get("reply_markup")
    if not isinstance(markup, dict):
        return None
    if markup.get("remove_keyboard"):
        return REMOVE_KEYBOARD
    if "keyboard" not in markup:
        return None
    rows = []
    for row in markup["keyboard"] or ():
        buttons = []
        for button in row:
            if isinstance(button, str):  # Telegram accepts a bare string for a text-only button
                button = {"text": button}
            label = button.get("text") or ""
            if not label.strip():
                raise bad_request("BUTTON_TEXT_INVALID")
            buttons.append(KeyButton(label, bool(button.get("request_location")),
                                     bool(button.get("request_contact"))))
        if buttons:
            rows.append(tuple(buttons))
    if not rows:
        raise bad_request("REPLY_MARKUP_INVALID")
    placeholder = markup.get("input_field_placeholder")
    if placeholder is not None and len(placeholder) > 64:
        raise bad_request("INPUT_FIELD_PLACEHOLDER_INVALID")
    return ReplyKeyboard(tuple(rows), one_time=bool(markup.get("one_time_keyboard")),
                         resize=bool(markup.get("resize_keyboard")), placeholder=placeholder)


def _upload_or_id(emu: Emulator, value: Any, folder: str) -> str:
    """A file sent by upload is stored and gets an id; a file_id must be one Telegram knows."""
    from bot.emulator.server import Upload

    if isinstance(value, Upload):
        return emu.store_file(value.content, folder, value.name, value.mime).file_id
    if isinstance(value, str) and value:
        return emu.file(value).file_id
    raise bad_request("there is no file in the request")


def _sent(emu: Emulator, chat_id: int, **fields: Any) -> dict[str, Any]:
    return emu.message_dict(emu.new_message(chat_id, from_bot=True, sender_id=emu.bot_id, **fields))


def _target(emu: Emulator, params: dict[str, Any], what: str = "edit") -> Message:
    if params.get("inline_message_id"):
        raise bad_request("inline messages are not supported by this emulator")
    chat_id = emu.reachable(params.get("chat_id"))
    message = emu.current(chat_id, _int(params, "message_id"))
    if message is None or message.deleted or not message.from_bot:
        raise bad_request(f"message to {what} not found")
    return message


def _edited(emu: Emulator, message: Message, **changes: Any) -> dict[str, Any]:
    if all(getattr(message, key) == value for key, value in changes.items()):
        raise bad_request("message is not modified: specified new message content and reply markup are exactly "
                          "the same as a current content and reply markup of the message")
    return emu.message_dict(emu.replace_message(message, **changes))


# --- the bot itself -----------------------------------------------------------------------------------------------

@method
async def getMe(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    return {**emu.bot_user(), "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False, "can_connect_to_business": False, "has_main_web_app": False}


@method
async def getUpdates(emu: Emulator, params: dict[str, Any]) -> list[dict[str, Any]]:
    offset = params.get("offset")
    return await emu.take_updates(
        int(offset) if offset not in (None, "") else None,
        max(1, min(100, _int(params, "limit", 100))),
        max(0.0, float(params.get("timeout") or 0)),
        params.get("allowed_updates") or None,
    )


@method
async def setWebhook(emu: Emulator, params: dict[str, Any]) -> bool:
    url = str(params.get("url") or "")
    if not url:  # an empty url is how Telegram's clients remove the webhook
        return await deleteWebhook(emu, params)
    refusal = check_webhook_url(url)
    if refusal is not None:
        raise bad_request(refusal.removeprefix("Bad Request: "))
    secret = params.get("secret_token")
    if secret is not None and not WEBHOOK_SECRET.fullmatch(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    if _bool(params, "drop_pending_updates"):
        emu.take_all_updates()
    await emu.set_webhook(Webhook(emu, url, str(secret) if secret is not None else None))
    return True


@method
async def deleteWebhook(emu: Emulator, params: dict[str, Any]) -> bool:
    await emu.set_webhook(None)
    if _bool(params, "drop_pending_updates"):
        emu.take_all_updates()
    return True


@method
async def getWebhookInfo(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    if emu.webhook is not None:
        return emu.webhook.info()
    return {"url": "", "has_custom_certificate": False, "pending_update_count": emu.pending_update_count()}


@method
async def logOut(emu: Emulator, params: dict[str, Any]) -> bool:
    return True


@method
async def close(emu: Emulator, params: dict[str, Any]) -> bool:
    return True


# --- command menus ------------------------------------------------------------------------------------------------

def _scope_key(params: dict[str, Any]) -> tuple:
    scope = params.get("scope") or {"type": "default"}
    kind = scope.get("type", "default")
    if kind == "chat":
        return ("chat", int(scope["chat_id"]))
    if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
        return (kind, None)
    return (kind, scope.get("chat_id"), scope.get("user_id"))


@method
async def setMyCommands(emu: Emulator, params: dict[str, Any]) -> bool:
    commands = params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("commands must be a list of at most 100 BotCommand")
    for command in commands:
        name, description = command.get("command", ""), command.get("description", "")
        if not 1 <= len(name) <= 32 or not set(name) <= COMMAND_CHARS:
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    emu.commands[_scope_key(params)] = [{"command": c["command"], "description": c["description"]}
                                        for c in commands]
    return True


@method
async def getMyCommands(emu: Emulator, params: dict[str, Any]) -> list[dict[str, str]]:
    return emu.commands.get(_scope_key(params), [])


@method
async def deleteMyCommands(emu: Emulator, params: dict[str, Any]) -> bool:
    emu.commands.pop(_scope_key(params), None)
    return True


@method
async def setChatMenuButton(emu: Emulator, params: dict[str, Any]) -> bool:
    return True


# --- sending --------------------------------------------------------------------------------------------------------

@method
async def sendMessage(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = emu.reachable(params.get("chat_id"))
    plain, html = _styled(params, "text", TEXT_LIMIT, required=True)
    buttons, keyboard = _buttons(params), _reply_keyboard(params)
    emu.flood_check(chat_id, params)
    emu.stats["sent"] += 1
    return _sent(emu, chat_id, kind="text", plain=plain, html=html, buttons=buttons, reply_keyboard=keyboard)


@method
async def sendPhoto(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = emu.reachable(params.get("chat_id"))
    plain, html = _styled(params, "caption", CAPTION_LIMIT, required=False)
    buttons, keyboard = _buttons(params), _reply_keyboard(params)
    file_id = _upload_or_id(emu, params.get("photo"), "photos")
    emu.flood_check(chat_id, params)
    emu.stats["sent"] += 1
    return _sent(emu, chat_id, kind="photo", plain=plain, html=html, buttons=buttons, file_id=file_id,
                 reply_keyboard=keyboard)


@method
async def sendDocument(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = emu.reachable(params.get("chat_id"))
    plain, html = _styled(params, "caption", CAPTION_LIMIT, required=False)
    buttons, keyboard = _buttons(params), _reply_keyboard(params)
    file_id = _upload_or_id(emu, params.get("document"), "documents")
    emu.flood_check(chat_id, params)
    emu.stats["sent"] += 1
    return _sent(emu, chat_id, kind="document", plain=plain, html=html, buttons=buttons, file_id=file_id,
                 file_name=emu.files[file_id].name, reply_keyboard=keyboard)


@method
async def sendMediaGroup(emu: Emulator, params: dict[str, Any]) -> list[dict[str, Any]]:
    chat_id = emu.reachable(params.get("chat_id"))
    media = params.get("media")
    if not isinstance(media, list) or not 2 <= len(media) <= 10:
        raise bad_request("wrong number of media in the album: must be 2–10")
    items = []
    for item in media:
        if item.get("type") != "photo":
            raise bad_request("only photo albums are supported by this emulator")
        ref = item.get("media", "")
        value = params.get(ref.removeprefix("attach://")) if ref.startswith("attach://") else ref
        plain, html = _styled(item, "caption", CAPTION_LIMIT, required=False)  # Telegram shows the one caption given
        items.append((_upload_or_id(emu, value, "photos"), plain, html))
    emu.flood_check(chat_id, params)
    emu.stats["sent"] += 1
    return [_sent(emu, chat_id, kind="photo", file_id=f, plain=plain, html=html) for f, plain, html in items]


@method
async def sendLocation(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = emu.reachable(params.get("chat_id"))
    keyboard = _reply_keyboard(params)
    emu.flood_check(chat_id, params)
    return _sent(emu, chat_id, kind="location", location=(float(params["latitude"]), float(params["longitude"])),
                 reply_keyboard=keyboard)


@method
async def sendChatAction(emu: Emulator, params: dict[str, Any]) -> bool:
    emu.reachable(params.get("chat_id"))
    return True


# --- changing what was sent ---------------------------------------------------------------------------------------

@method
async def editMessageText(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    message = _target(emu, params)
    if message.kind != "text":
        raise bad_request("there is no text in the message to edit")
    plain, html = _styled(params, "text", TEXT_LIMIT, required=True, edit=True)
    return _edited(emu, message, plain=plain, html=html, buttons=_buttons(params))


@method
async def editMessageCaption(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    message = _target(emu, params)
    if message.kind not in ("photo", "document"):
        raise bad_request("there is no caption in the message to edit")
    plain, html = _styled(params, "caption", CAPTION_LIMIT, required=False, edit=True)
    return _edited(emu, message, plain=plain, html=html, buttons=_buttons(params))


@method
async def editMessageMedia(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    """A photo (or document) message's file replaced, with the new caption (none given: the caption goes, as
    Telegram does) and buttons; a text message has no media to edit."""
    message = _target(emu, params)
    media = params.get("media")
    if message.kind not in ("photo", "document") or not isinstance(media, dict):
        raise bad_request("there is no media in the message to edit")
    if media.get("type") != message.kind:
        raise bad_request("wrong type of the web page content")  # the emulator keeps a message's kind
    ref = str(media.get("media") or "")
    value = params.get(ref.removeprefix("attach://")) if ref.startswith("attach://") else ref
    file_id = _upload_or_id(emu, value, "photos" if message.kind == "photo" else "documents")
    plain, html = _styled(media, "caption", CAPTION_LIMIT, required=False, edit=True)
    return emu.message_dict(emu.replace_message(message, file_id=file_id, plain=plain, html=html,
                                                buttons=_buttons(params)))


@method
async def editMessageReplyMarkup(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    message = _target(emu, params)
    return _edited(emu, message, buttons=_buttons(params))


@method
async def deleteMessage(emu: Emulator, params: dict[str, Any]) -> bool:
    chat_id = emu.reachable(params.get("chat_id"))
    message = emu.current(chat_id, _int(params, "message_id"))
    if message is None or message.deleted:
        raise bad_request("message to delete not found")
    emu.replace_message(message, deleted=True)
    return True


@method
async def answerCallbackQuery(emu: Emulator, params: dict[str, Any]) -> bool:
    text = str(params.get("text") or "")
    if utf16_length(text) > ANSWER_LIMIT:
        raise bad_request("MESSAGE_TOO_LONG")
    emu.answer_query(str(params.get("callback_query_id")), text, _bool(params, "show_alert"))
    return True


# --- chats and files ----------------------------------------------------------------------------------------------

@method
async def getChat(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    chat_id = emu.reachable(params.get("chat_id"))
    return {**emu.chat_dict(chat_id), "accent_color_id": 0, "max_reaction_count": 11,
            "accepted_gift_types": {"unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
                                    "premium_subscription": False}}


@method
async def getChatMember(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    emu.reachable(params.get("chat_id"))
    user_id = _int(params, "user_id")
    if user_id == emu.bot_id:
        return {"status": "member", "user": emu.bot_user()}
    if user_id not in emu.people:
        raise bad_request("user not found")
    return {"status": "member", "user": emu.people[user_id].as_user()}


@method
async def leaveChat(emu: Emulator, params: dict[str, Any]) -> bool:
    chat_id = emu.reachable(params.get("chat_id"))
    emu.groups.pop(chat_id, None)
    return True


@method
async def getFile(emu: Emulator, params: dict[str, Any]) -> dict[str, Any]:
    stored = emu.file(str(params.get("file_id") or ""))
    return {"file_id": stored.file_id, "file_unique_id": stored.unique_id, "file_size": len(stored.content),
            "file_path": stored.path}
