"""``crm.duplicate.findbycomm``: contacts and companies that share a phone number or e-mail."""

from __future__ import annotations

import re
from typing import Any

from .. import errors, wire
from ..registry import Call, method

MAX_VALUES = 20


def normalise_phone(value: str) -> str:
    """Digits only, extension dropped, Russian trunk prefix 8 read as +7."""
    value = re.split(r"(?i)\s*(?:ext\.?|доб\.?|#)\s*", value, maxsplit=1)[0]
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits.startswith("8"):
        digits = "7" + digits[1:]
    elif len(digits) == 10:
        digits = "7" + digits
    return digits


@method("crm.duplicate.findbycomm", scope="crm")
def find_by_comm(call: Call, params: dict[str, Any]) -> Any:
    kind = str(params.get("TYPE") or "").strip().upper()
    if kind not in ("PHONE", "EMAIL"):
        # The docs name this error; a real portal answered it with an empty code (issue #223).
        raise errors.crm_error("Communication type is not defined.")
    values = [str(item) for item in wire.as_list(params.get("VALUES")) if str(item).strip()]
    if not values:
        raise errors.crm_error("Communication values is not defined.")
    if len(values) > MAX_VALUES:
        # (unconfirmed) the docs allow 20 values; refusing more, and this wording, are the sandbox's choice.
        raise errors.crm_error(f"Too many communication values. Maximum is {MAX_VALUES}.")
    entity_type = str(params.get("ENTITY_TYPE") or "").strip().upper()
    if entity_type and entity_type not in ("LEAD", "CONTACT", "COMPANY"):
        raise errors.crm_error("Entity type is not supported.")

    def key(text: str) -> str:
        return normalise_phone(text) if kind == "PHONE" else text.strip().casefold()

    wanted = {key(value) for value in values} - {""}
    found: dict[str, list[int]] = {}
    entities = {"CONTACT": call.state.crm.contacts, "COMPANY": call.state.crm.companies}
    for name, entity in entities.items():
        if entity_type and entity_type != name:
            continue
        ids = [int(record["ID"]) for record in entity.table.values()
               if any(key(item["VALUE"]) in wanted for item in record.get(kind) or ())]
        if ids:
            found[name] = ids[:MAX_VALUES]
            if len(ids) >= MAX_VALUES:
                break  # later types are left out once one type has 20 hits, as the portal does
    return found  # an empty dict goes out as [], PHP's empty array
