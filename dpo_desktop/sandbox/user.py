"""``user.current`` and ``profile``: who the caller is.

``profile`` is the portal's scope-free "basic" method: any webhook or app may call it.
``PERSONAL_PHOTO`` appears in ``profile`` only for a user with a
photo, and sandbox users have none.
"""

from __future__ import annotations

from typing import Any

from .registry import Call, method


@method("user.current", scope="user")
def user_current(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    user = call.user
    return {
        **user.to_wire(),
        "DATE_REGISTER": "",
        "LAST_ACTIVITY_DATE": None,
        "PERSONAL_BIRTHDAY": "",
        "WORK_POSITION": "",
        "UF_EMPLOYMENT_DATE": "",
        "UF_DEPARTMENT": [1],
    }


@method("profile", scope="basic")
def profile(call: Call, params: dict[str, Any]) -> dict[str, Any]:
    user = call.user
    clock = call.state.clock
    return {
        "ID": str(user.id),
        "ADMIN": user.admin,
        "NAME": user.name,
        "LAST_NAME": user.last_name,
        "PERSONAL_GENDER": "",
        "TIME_ZONE": "",
        # (unconfirmed) the user's offset plus the server's, in seconds; sandbox users keep the server's zone.
        "TIME_ZONE_OFFSET": clock.offset_minutes * 60,
        "IS_EMPLOYEE": True,
    }
