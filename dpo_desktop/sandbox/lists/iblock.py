"""One universal list (an information block): its description, its fields and its elements.

Elements live in a :class:`query.Table` in ID order. A record holds native values only — IDs and
dates as integers, property values under ``"P"`` as ``{property ID: (value ID, value, value ID,
value, ...)}`` — and is turned into wire form when read, so a list of 200,000 elements stays small
and filtering never renders anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..query import INT, TEXT, Table
from .fields import SYSTEM_NAMES, ListField
from .values import QUERY_KIND

if TYPE_CHECKING:
    from ..timefmt import PortalClock

IBLOCK_TYPES = ("lists", "bitrix_processes", "lists_socnet")

# Element fields every list can filter and sort on, and how they compare (dates are Unix seconds).
BASE_KINDS = {
    "ID": INT, "NAME": TEXT, "CODE": TEXT, "SORT": INT, "CREATED_BY": INT, "MODIFIED_BY": INT,
    "DATE_CREATE": INT, "TIMESTAMP_X": INT, "IBLOCK_SECTION_ID": INT, "ACTIVE_FROM": INT, "ACTIVE_TO": INT,
    "PREVIEW_TEXT": TEXT, "DETAIL_TEXT": TEXT,
}
MESSAGE_KEYS = ("ELEMENTS_NAME", "ELEMENT_NAME", "ELEMENT_ADD", "ELEMENT_EDIT", "ELEMENT_DELETE",
                "SECTIONS_NAME", "SECTION_ADD", "SECTION_EDIT", "SECTION_DELETE")
DEFAULT_MESSAGES = {
    "ru": {"ELEMENTS_NAME": "Элементы", "ELEMENT_NAME": "Элемент", "SECTIONS_NAME": "Разделы",
           "SECTION_NAME": "Раздел"},
    "en": {"ELEMENTS_NAME": "Elements", "ELEMENT_NAME": "Element", "SECTIONS_NAME": "Sections",
           "SECTION_NAME": "Section"},
}


class ElementTable(Table):
    """A :class:`Table` that pickles: its value converters are closures, so they are rebuilt on load.

    (Seeds are handed out as pickled copies, and ``sandbox --state`` saves a pickle.)
    """

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_converters", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._converters = {}
        for name, kind in self.kinds.items():
            self.add_kind(name, kind)


class PropertyValues:
    """Reads one property's values from a record for filters and ordering (a class, so tables pickle)."""

    __slots__ = ("prop_id",)

    def __init__(self, prop_id: int) -> None:
        self.prop_id = prop_id

    def __call__(self, record: dict[str, Any]) -> Any:
        stored = record["P"].get(self.prop_id)
        if not stored:
            return None
        # A single value is returned bare: the table treats a scalar as a one-item list, more cheaply.
        return stored[1] if len(stored) == 2 else list(stored[1::2])


@dataclass(eq=False)
class IBlock:
    id: int
    iblock_type: str
    code: str
    name: str
    description: str
    sort: int
    bizproc: str
    socnet_group_id: int | None
    created_by: int
    timestamp: float
    locale: str
    messages: dict[str, str] = field(default_factory=dict)
    fields: dict[str, ListField] = field(default_factory=dict)
    elements: ElementTable = field(init=False)
    codes: dict[str, int] = field(default_factory=dict)  # casefolded element CODE -> element ID
    _ordered: list[ListField] | None = field(default=None, init=False, repr=False)
    _properties: list[ListField] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.elements = ElementTable(BASE_KINDS)
        name = ListField("NAME", "NAME", SYSTEM_NAMES.get(self.locale, SYSTEM_NAMES["ru"])["NAME"], sort=10,
                         is_required=True)
        self.fields["NAME"] = name

    # -- fields ------------------------------------------------------------------------------------

    def add_field(self, item: ListField) -> None:
        self.fields[item.field_id] = item
        if item.prop_id is not None:
            self._index_property(item)
        self.fields_changed()

    def fields_changed(self) -> None:
        """Forget the cached field orders (every element write walks them)."""
        self._ordered = self._properties = None

    def _index_property(self, item: ListField) -> None:
        reader = PropertyValues(item.prop_id)
        kind = QUERY_KIND[item.type]
        self.elements.add_kind(item.field_id, kind)
        self.elements.accessors[item.field_id] = reader
        if item.code:
            # Filters also name a property by its code: PROPERTY_DEAL_LINK.
            alias = f"PROPERTY_{item.code.upper()}"
            if alias not in self.fields:
                self.elements.add_kind(alias, kind)
                self.elements.accessors[alias] = reader

    def reindex(self, item: ListField, old_code: str | None) -> None:
        if old_code and old_code != item.code:
            alias = f"PROPERTY_{old_code.upper()}"
            self.elements.kinds.pop(alias, None)
            self.elements.accessors.pop(alias, None)
        self._index_property(item)

    def ordered_fields(self) -> list[ListField]:
        if self._ordered is None:
            position = {field_id: index for index, field_id in enumerate(self.fields)}
            self._ordered = sorted(self.fields.values(), key=lambda item: (item.sort, position[item.field_id]))
        return self._ordered

    def properties(self) -> list[ListField]:
        if self._properties is None:
            found = [item for item in self.fields.values() if item.prop_id is not None]
            self._properties = sorted(found, key=lambda item: (item.sort, item.prop_id))
        return self._properties

    def property(self, prop_id: int) -> ListField | None:
        return self.fields.get(f"PROPERTY_{prop_id}")

    def property_codes(self) -> set[str]:
        return {item.code.casefold() for item in self.fields.values() if item.code}

    # -- elements ----------------------------------------------------------------------------------

    def find_code(self, code: str) -> int | None:
        # MySQL's collation compares codes case-insensitively.
        return self.codes.get(code.casefold())

    def to_wire(self, clock: PortalClock) -> dict[str, Any]:
        """The descriptor ``lists.get`` returns (a ``CIBlock::GetList`` row)."""
        messages = {**DEFAULT_MESSAGES.get(self.locale, DEFAULT_MESSAGES["ru"]), **self.messages}
        return {
            "ID": str(self.id), "TIMESTAMP_X": clock.locale_datetime(self.timestamp),
            "IBLOCK_TYPE_ID": self.iblock_type, "LID": "s1", "CODE": self.code or None, "API_CODE": None,
            "NAME": self.name, "ACTIVE": "Y", "SORT": str(self.sort), "LIST_PAGE_URL": None,
            "DETAIL_PAGE_URL": None, "SECTION_PAGE_URL": None, "CANONICAL_PAGE_URL": None, "PICTURE": None,
            "DESCRIPTION": self.description, "DESCRIPTION_TYPE": "text", "RSS_TTL": "24", "RSS_ACTIVE": "Y",
            "RSS_FILE_ACTIVE": "N", "RSS_FILE_LIMIT": None, "RSS_FILE_DAYS": None, "XML_ID": None, "TMP_ID": None,
            "INDEX_ELEMENT": "Y", "INDEX_SECTION": "N", "WORKFLOW": "N", "BIZPROC": self.bizproc,
            "SECTION_CHOOSER": "L", "LIST_MODE": None, "RIGHTS_MODE": "E", "SECTION_PROPERTY": None,
            "PROPERTY_INDEX": None, "VERSION": "1", "LAST_CONV_ELEMENT": "0",
            "SOCNET_GROUP_ID": str(self.socnet_group_id) if self.socnet_group_id else None,
            "EDIT_FILE_BEFORE": None, "EDIT_FILE_AFTER": None,
            "SECTIONS_NAME": messages["SECTIONS_NAME"], "SECTION_NAME": messages["SECTION_NAME"],
            "ELEMENTS_NAME": messages["ELEMENTS_NAME"], "ELEMENT_NAME": messages["ELEMENT_NAME"],
            "REST_ON": "N", "FULLTEXT_INDEX": "N", "EXTERNAL_ID": None, "LANG_DIR": "/", "SERVER_NAME": None,
        }
