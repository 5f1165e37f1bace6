"""The fields of deals, contacts and companies as ``crm.item.*`` names them, over the legacy records.

There is one store: the legacy records of :mod:`.entity` (wire strings, ``"Y"``/``"N"``, ISO dates).
Each camelCase item field names the legacy code behind it and how its value reads: real numbers for
IDs and amounts (``"410"`` → ``410``, ``"1000000.00"`` → ``1000000``), flags kept as ``"Y"``/``"N"``,
dates as the stored ISO text. Field order follows the portal's answers (reference §15; docs
crm-item-add/crm-item-get samples, object-fields). User fields are named by :func:`camel_uf_name`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..compare import to_integer, to_number

# Kinds of standard fields: how a stored legacy value reads.
INT, NUMBER, FLAG, TEXT, MOMENT, NULL, ZERO = "int", "number", "flag", "text", "moment", "null", "zero"


@dataclass(frozen=True, slots=True)
class ItemField:
    name: str  # camelCase, as the answers spell it
    legacy: str | None  # the legacy code behind it; None: not modelled, always null
    kind: str
    writable: bool = False  # False: read-only or answer-only, ignored on write


def _f(name: str, legacy: str | None, kind: str = TEXT, writable: bool = False) -> ItemField:
    return ItemField(name, legacy, kind, writable)


def _w(name: str, legacy: str, kind: str = TEXT) -> ItemField:
    return ItemField(name, legacy, kind, True)


_STAMPS = (_f("id", "ID", INT), _f("createdTime", "DATE_CREATE", MOMENT))
_AUTHORS = (_f("createdBy", "CREATED_BY_ID", INT), _f("updatedBy", "MODIFY_BY_ID", INT),
            _w("assignedById", "ASSIGNED_BY_ID", INT), _w("opened", "OPENED", FLAG))
# Flat copies of the first multifield value of a kind, in the order the portal answers them.
FM_ALIASES = (("phoneMobile", "PHONE", "MOBILE"), ("phoneWork", "PHONE", "WORK"), ("phoneMailing", "PHONE", "MAILING"),
              ("emailHome", "EMAIL", "HOME"), ("emailWork", "EMAIL", "WORK"), ("emailMailing", "EMAIL", "MAILING"),
              ("imol", "IM", "IMOL"), ("email", "EMAIL", None), ("phone", "PHONE", None))

DEAL_HEAD: tuple[ItemField, ...] = (
    *_STAMPS, _f("dateCreateShort", "DATE_CREATE", MOMENT), _f("updatedTime", "DATE_MODIFY", MOMENT),
    _f("dateModifyShort", "DATE_MODIFY", MOMENT), *_AUTHORS,
    _f("leadId", "LEAD_ID", INT), _w("companyId", "COMPANY_ID", INT), _w("contactId", "CONTACT_ID", INT),
    _f("quoteId", "QUOTE_ID", INT), _w("title", "TITLE"), _f("productId", None, NULL),
    _w("categoryId", "CATEGORY_ID", INT), _w("stageId", "STAGE_ID"), _f("stageSemanticId", "STAGE_SEMANTIC_ID"),
    _f("isNew", "IS_NEW", FLAG), _w("isRecurring", "IS_RECURRING", FLAG),
    _f("isReturnCustomer", "IS_RETURN_CUSTOMER", FLAG), _f("isRepeatedApproach", "IS_REPEATED_APPROACH", FLAG),
    _f("closed", "CLOSED", FLAG), _w("typeId", "TYPE_ID"), _w("opportunity", "OPPORTUNITY", NUMBER),
    _w("isManualOpportunity", "IS_MANUAL_OPPORTUNITY", FLAG), _w("taxValue", "TAX_VALUE", NUMBER),
    _w("currencyId", "CURRENCY_ID"), _w("probability", "PROBABILITY", INT), _w("comments", "COMMENTS"),
    _w("begindate", "BEGINDATE", MOMENT), _f("begindateShort", "BEGINDATE", MOMENT),
    _w("closedate", "CLOSEDATE", MOMENT), _f("closedateShort", "CLOSEDATE", MOMENT),
    *(_f(name, None, NULL) for name in ("eventDate", "eventDateShort", "eventId", "eventDescription")),
    _w("locationId", "LOCATION_ID"), _f("webformId", None, NULL), _w("sourceId", "SOURCE_ID"),
    _w("sourceDescription", "SOURCE_DESCRIPTION"), _w("originatorId", "ORIGINATOR_ID"), _w("originId", "ORIGIN_ID"),
    _w("additionalInfo", "ADDITIONAL_INFO"), _f("searchContent", None, NULL), _f("orderStage", None, NULL),
    _f("movedBy", "MOVED_BY_ID", INT), _f("movedTime", "MOVED_TIME", MOMENT),
    _f("lastActivityBy", "LAST_ACTIVITY_BY", INT), _f("lastActivityTime", "LAST_ACTIVITY_TIME", MOMENT),
    *(_f(name, None, NULL) for name in ("isWork", "isWon", "isLose", "receivedAmount", "lostAmount", "hasProducts")),
)

CONTACT_HEAD: tuple[ItemField, ...] = (
    *_STAMPS, _f("updatedTime", "DATE_MODIFY", MOMENT), *_AUTHORS,
    _w("companyId", "COMPANY_ID", INT), _w("sourceId", "SOURCE_ID"), _w("sourceDescription", "SOURCE_DESCRIPTION"),
    _w("name", "NAME"), _w("lastName", "LAST_NAME"), _w("secondName", "SECOND_NAME"), _f("shortName", None, NULL),
    _w("post", "POST"), _f("address", None, NULL), _w("comments", "COMMENTS"), _f("webformId", None, NULL),
    _w("originatorId", "ORIGINATOR_ID"), _w("originId", "ORIGIN_ID"), _w("originVersion", "ORIGIN_VERSION"),
    _w("birthdate", "BIRTHDATE", MOMENT), _w("honorific", "HONORIFIC"), _w("typeId", "TYPE_ID"),
    _w("export", "EXPORT", FLAG), _f("hasPhone", "HAS_PHONE", FLAG), _f("hasEmail", "HAS_EMAIL", FLAG),
    _f("hasImol", "HAS_IMOL", FLAG), _f("login", None, NULL), _f("searchContent", None, NULL),
    _f("categoryId", None, ZERO), _f("leadId", "LEAD_ID", INT), _f("photo", "PHOTO", INT),
    _f("lastActivityBy", "LAST_ACTIVITY_BY", INT), _f("lastActivityTime", "LAST_ACTIVITY_TIME", MOMENT),
)

COMPANY_HEAD: tuple[ItemField, ...] = (
    *_STAMPS, _f("updatedTime", "DATE_MODIFY", MOMENT), *_AUTHORS,
    _w("title", "TITLE"), _w("typeId", "COMPANY_TYPE"), _f("logo", "LOGO", INT), _f("address", None, NULL),
    _f("addressLegal", None, NULL), _f("bankingDetails", None, NULL), _w("industry", "INDUSTRY"),
    _w("employees", "EMPLOYEES"), _w("currencyId", "CURRENCY_ID"), _w("revenue", "REVENUE", NUMBER),
    _w("comments", "COMMENTS"), _w("isMyCompany", "IS_MY_COMPANY", FLAG), _f("hasPhone", "HAS_PHONE", FLAG),
    _f("hasEmail", "HAS_EMAIL", FLAG), _f("hasImol", "HAS_IMOL", FLAG), _f("leadId", "LEAD_ID", INT),
    _w("originatorId", "ORIGINATOR_ID"), _w("originId", "ORIGIN_ID"), _f("originVersion", None, NULL),
    _f("categoryId", None, ZERO), _f("webformId", None, NULL), _f("searchContent", None, NULL),
    _f("lastActivityBy", None, NULL), _f("lastActivityTime", None, NULL),
)

# Between the user fields and the computed tail, as in the portal's answers.
UTM_FIELDS: tuple[ItemField, ...] = tuple(
    _w(f"utm{part.title()}", f"UTM_{part}") for part in ("SOURCE", "MEDIUM", "CAMPAIGN", "CONTENT", "TERM"))

# Fields computed from more than one record: bindings, multifields, observers, the type itself.
DEAL_TAIL = ("observers", "contactIds", "entityTypeId")
CONTACT_TAIL = ("observers", "companyIds", "entityTypeId")
COMPANY_TAIL = ("observers", "contactIds", "entityTypeId")
# Only an answer with select omitted or "*" carries these (object-fields, "Fields in select").
STAR_ONLY = frozenset({"fm", "entityTypeId", *(alias for alias, _, _ in FM_ALIASES)})


# -- names ------------------------------------------------------------------------------------------

_MARK = "~~~"
_DIGIT_UNDERSCORE = re.compile(r"(\d)_(\d)")
_DIGIT_MARK = re.compile(rf"(\d){_MARK}(\d)")
_ALPHA_NAME = re.compile(r"[A-Z_]+")
_NUMBERED_NAME = re.compile(r"UF_CRM_\d{1,4}_(?:[\d_]+|[A-Z_]+)")
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def camel_uf_name(upper: str) -> str:
    """A user field's camelCase name, as the portal's converter makes it: ``UF_CRM_1721244707107`` →
    ``ufCrm_1721244707107``, ``UF_CRM_3_1747309727`` → ``ufCrm3_1747309727``, ``UF_CRM_MANAGER_NOTE`` →
    ``ufCrmManagerNote`` (docs crm/universal "Features of working with field names")."""
    if not (_ALPHA_NAME.fullmatch(upper) or _NUMBERED_NAME.fullmatch(upper)) and upper.upper().startswith("UF_"):
        # Names mixing letters and digits keep their tail as it is, so the way back is unambiguous.
        if upper.upper().startswith("UF_CRM_"):
            return "ufCrm_" + upper[7:]
        if upper.upper().startswith("UF_CRM"):
            return "ufCrm" + upper[6:]
        return "uf" + upper[3:]
    marked = _DIGIT_UNDERSCORE.sub(rf"\1{_MARK}\2", upper)
    words = marked.lower().split("_")
    camel = words[0] + "".join(word[:1].upper() + word[1:] for word in words[1:])
    return _DIGIT_MARK.sub(r"\1_\2", camel)


def upper_name(camel: str) -> str:
    """``createdTime`` → ``CREATED_TIME``: the UPPER_CASE spelling the methods also accept."""
    return _CAMEL_HUMP.sub("_", camel).upper()


# -- values -----------------------------------------------------------------------------------------

def read_value(kind: str, value: Any) -> Any:
    """A stored legacy value as ``crm.item.*`` answers it."""
    if kind == TEXT:
        return value
    if kind == FLAG:
        return value if value in ("Y", "N") else "N"
    if kind == ZERO:
        return 0  # contacts and companies sit in the default category 0; the sandbox has no others
    if value is None or value == "" or kind == NULL:
        return None
    if kind == INT:
        return to_integer(value)
    if kind == NUMBER:
        return real_number(value)
    return value  # MOMENT: the stored ISO text


def real_number(value: Any) -> int | float | None:
    # (unconfirmed) whole amounts come back without a fraction ("opportunity": 19000 in the docs' sample).
    number = to_number(value)
    if number is None:
        return None
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def read_userfield(user_type: str, value: Any) -> Any:
    """A stored user field value (one of a multiple field's values) as the items answer it."""
    if value is None or value == "":
        return None
    if user_type in ("integer", "employee", "enumeration"):
        return to_integer(value)
    if user_type == "double":
        return real_number(value)
    if user_type == "boolean":
        # (unconfirmed) the item converter turns booleans into "Y"/"N", user fields included.
        return "Y" if str(value) == "1" else "N"
    return value


def is_empty(value: Any) -> bool:
    """PHP's ``empty()``: the item methods clear a field given any of these."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, float)):
        return value == 0
    return value is None or value in ("", "0") or (isinstance(value, (list, dict)) and not value)


def item_flag(value: Any) -> str:
    """Only ``true``, ``"true"``, ``"y"`` and ``"Y"`` mean yes; anything else is stored as ``N`` (object-fields,
    value formats) — stricter than legacy methods, which also take ``1``."""
    return "Y" if value is True or value in ("true", "y", "Y") else "N"
