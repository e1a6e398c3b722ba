"""How a member proves they are at the meeting when checking themselves in (issue: a forwarded location, or a
point picked on the map, proved nothing): the branch's policy picks none, the venue's location, a code shown at
the venue, or either. Pure functions that take `now`.

The code is four digits read aloud or shown by the secretary or the 签到员; it changes every 30 seconds
(an HMAC of the meeting's own secret and the 30-second window), and the one of the window just before is still
taken, so a code read out as it changes is not refused. After WRONG_MAX wrong codes a member's own check-in by
code is closed for that meeting (10,000 codes are too few to let anyone guess on); 代签到 stays."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from datetime import datetime, timedelta
from enum import StrEnum

WINDOW_S = 30
DIGITS = 4
WRONG_MAX = 5


class Proof(StrEnum):
    """The branch's check-in policy (BranchSettings.checkin_proof)."""

    NONE = "none"
    LOCATION = "location"  # at the venue, when the meeting has one (the default, as before)
    CODE = "code"
    EITHER = "either"  # the venue's location or the code


STRENGTH = (Proof.NONE, Proof.EITHER, Proof.LOCATION, Proof.CODE)  # weakest first, as the unit policy orders them


def at_least(own: Proof, floor: Proof) -> bool:
    return STRENGTH.index(own) >= STRENGTH.index(floor)


def in_force(own: Proof, floor: str) -> Proof:
    """The branch's own 签到方式 where at least as strict as its units' rule (`floor`, a Proof value), else the rule."""
    ruled = Proof(floor)
    return own if at_least(own, ruled) else ruled


def accepted(policy: Proof, has_venue: bool) -> frozenset[str]:
    """What a check-in may prove presence with: {"location"}, {"code"}, both, or nothing to prove."""
    location = {"location"} if has_venue else set()
    if policy is Proof.NONE:
        return frozenset()
    if policy is Proof.LOCATION:
        return frozenset(location)
    if policy is Proof.CODE:
        return frozenset({"code"})
    return frozenset(location | {"code"})


def _window(moment: datetime) -> int:
    return int(moment.timestamp()) // WINDOW_S


def _code(secret: str, window: int) -> str:
    digest = hmac.new(secret.encode(), str(window).encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10 ** DIGITS:0{DIGITS}d}"


def code_at(secret: str, now: datetime) -> str:
    """The code to show now."""
    return _code(secret, _window(now))


def changes_at(now: datetime) -> datetime:
    """When the code shown now is replaced (it is still taken for one more window)."""
    return datetime.fromtimestamp((_window(now) + 1) * WINDOW_S, tz=now.tzinfo)


def valid_until(now: datetime) -> datetime:
    return changes_at(now) + timedelta(seconds=WINDOW_S)


def normalized(text: str) -> str:
    """A typed code without spaces, and with full-width digits as ASCII."""
    return "".join(text.split()).translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def matches(secret: str, typed: str, now: datetime) -> bool:
    """The code of this window or of the one before (compared in constant time)."""
    code = normalized(typed)
    window = _window(now)
    return any(hmac.compare_digest(code, _code(secret, w)) for w in (window, window - 1))


# --- the QR picture's deep link ------------------------------------------------------------------------------------
# The picture shown at the venue encodes https://t.me/<bot>?start=<payload>. Telegram takes at most 64 characters
# of [A-Za-z0-9_-] after start=: "ci_<meeting>_<window>_<mac>", the mac 16 url-safe characters (96 bits) of an
# HMAC of the meeting's secret and the window, is about 40. Like the code it is taken in its window and the one
# before, so a link scanned as the picture changes still works, and a photo of it sent home is stale a minute later.

LINK_PREFIX = "ci_"
_MAC_CHARS = 16
_LINK = re.compile(r"^ci_(\d{1,12})_(\d{1,12})_([A-Za-z0-9_-]{16})$")


def _mac(secret: str, meeting_id: int, window: int) -> str:
    digest = hmac.new(secret.encode(), f"link:{meeting_id}:{window}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()[:_MAC_CHARS]


def link_payload(secret: str, meeting_id: int, now: datetime) -> str:
    """The deep link's start parameter for now (≤ 64 characters of [A-Za-z0-9_-])."""
    window = _window(now)
    return f"{LINK_PREFIX}{meeting_id}_{window}_{_mac(secret, meeting_id, window)}"


def link_meeting(payload: str) -> int | None:
    """The meeting a check-in link names (None: not the shape of one); whether it is good needs its secret."""
    found = _LINK.match(payload)
    return int(found.group(1)) if found else None


def link_matches(secret: str, payload: str, now: datetime) -> bool:
    """A link of this window or of the one before, made with this meeting's secret (compared in constant time)."""
    found = _LINK.match(payload)
    if not found:
        return False
    meeting_id, window, mac = int(found.group(1)), int(found.group(2)), found.group(3)
    current = _window(now)
    return window in (current, current - 1) and hmac.compare_digest(mac, _mac(secret, meeting_id, window))
