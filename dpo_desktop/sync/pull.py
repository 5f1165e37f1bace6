"""Bringing the portal's ДПО data into the cache: full pulls and cheap incremental ones.

Full: deals of the pipeline, every participant and document element, then the contacts and companies
they name — each set streamed page by page into the store, and whatever the cache held that the portal
no longer has removed at the end.

Incremental (DESIGN §3): one batch asks for everything that may have changed — deals and contacts
modified since the watermark (with an overlap: ``DATE_MODIFY`` has one-second precision), list elements
with IDs above the highest known and with ``TIMESTAMP_X`` since the last pull, and the counts of every
set; follow-up pages only where a first page was full, and an ID reconciliation only where a count says
something was deleted.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..b24.batch import Batch
from ..b24.crm import Crm, normalize_row
from ..b24.lists import Lists, element_from_wire
from ..b24.paging import LEGACY, LISTS, PAGE, iter_pages, rows_of
from ..b24.shapes import identifier
from ..domain.models import Stage
from . import convert
from .reconcile import RangeQuery, find_deleted

if TYPE_CHECKING:
    from ..b24.client import B24Client
    from ..portal.mapping import ListMapping, PortalMapping
    from ..store import Store

log = logging.getLogger("dpo.sync")

OVERLAP = timedelta(seconds=2)
CHUNK = 2500  # rows written per transaction: short locks, readers never wait long


class _Seen:
    """What a full pull met of one kind, kept small: IDs and the latest modification, not the models."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.latest: datetime | None = None

    def add(self, models: list[Any], note: Callable[[Any], None] | None = None) -> None:
        for model in models:
            self.ids.add(model.id)
            if note is not None:
                note(model)
        newest = _latest(models)
        if newest is not None and (self.latest is None or newest > self.latest):
            self.latest = newest


def _latest(models: Iterable[Any]) -> datetime | None:
    return max((model.modified for model in models if model.modified), default=None)


@dataclass
class PullStats:
    full: bool
    changed: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)


class Puller:
    def __init__(self, client: B24Client, store: Store, mapping: PortalMapping) -> None:
        self.client = client
        self.store = store
        self.mapping = mapping
        self.crm = Crm(client)
        self.lists = Lists(client, mapping.participants.iblock_type)

    # -- full ---------------------------------------------------------------------------------------

    async def full(self) -> PullStats:
        stats = PullStats(full=True)
        mapping = self.mapping
        stages = await self.crm.stages(mapping.pipeline_id)
        with self.store.write() as tx:
            tx.replace_stages(mapping.pipeline_id, [Stage(status_id=item.status_id, name=item.name, sort=item.sort,
                                                          color=item.color, semantics=item.semantics)
                                                    for item in stages])
        deal_rows = iter_pages(self.client, "crm.deal.list", {
            "filter": {"CATEGORY_ID": mapping.pipeline_id}, "select": convert.deal_select(mapping)}, LEGACY)
        people: set[int] = set()
        companies_named: set[int] = set()

        def note_deal(deal: Any) -> None:
            if deal.client_contact_id:
                people.add(deal.client_contact_id)
            if deal.company_id:
                companies_named.add(deal.company_id)

        deals = await self._store_pages(deal_rows, lambda row: convert.deal_from_row(normalize_row(row), mapping),
                                        "deals", note_deal)
        participants = await self._store_elements(mapping.participants, convert.participant_from_element,
                                                  "participants", lambda item: people.add(item.contact_id))
        documents = await self._store_elements(mapping.documents, convert.document_from_element, "documents")
        contacts = await self._store_by_ids("contact", people, convert.contact_select(mapping),
                                            lambda row: convert.contact_from_row(row, mapping), "contacts")
        companies = await self._store_by_ids("company", companies_named, convert.COMPANY_STANDARD,
                                             convert.company_from_row, "companies")
        seen = {"deals": deals, "participants": participants, "documents": documents, "contacts": contacts,
                "companies": companies}
        with self.store.write() as tx:
            for kind, found in seen.items():
                gone = self.store.ids(kind) - found.ids
                if gone:
                    getattr(tx, f"delete_{kind}")(gone)
                stats.deleted[kind] = len(gone)
                stats.changed[kind] = len(found.ids)
            for kind in ("deals", "contacts", "participants", "documents"):
                self._advance_watermark(tx, kind, seen[kind].latest)
            tx.set_meta("last_full_sync", datetime.now().astimezone().isoformat())
        return stats

    async def _store_pages(self, pages: AsyncIterator[list[dict[str, Any]]], make, kind: str,
                           note: Callable[[Any], None] | None = None) -> _Seen:
        seen = _Seen()
        async for page in pages:
            models = [model for model in map(make, page) if model is not None]
            self._write(kind, models)
            seen.add(models, note)
        return seen

    async def _store_elements(self, list_mapping: ListMapping, make, kind: str,
                              note: Callable[[Any], None] | None = None) -> _Seen:
        pages = iter_pages(self.client, "lists.element.get",
                           {"IBLOCK_TYPE_ID": list_mapping.iblock_type, "IBLOCK_ID": list_mapping.iblock_id,
                            "SELECT": convert.element_select(list_mapping)}, LISTS)
        seen = _Seen()
        async for page in pages:
            models = [model for row in page if (model := make(element_from_wire(row), list_mapping)) is not None]
            self._write(kind, models)
            seen.add(models, note)
        return seen

    async def _store_by_ids(self, entity: str, ids: Iterable[int], select: list[str], make, kind: str) -> _Seen:
        seen = _Seen()
        batch: list[Any] = []
        async for row in self.crm.by_ids(entity, ids, select=select):
            batch.append(make(row))
            if len(batch) >= CHUNK:
                self._write(kind, batch)
                seen.add(batch)
                batch = []
        self._write(kind, batch)
        seen.add(batch)
        return seen

    def _write(self, kind: str, models: list[Any]) -> None:
        if models:
            with self.store.write() as tx:
                getattr(tx, f"upsert_{kind}")(models)

    # -- incremental ------------------------------------------------------------------------------------

    async def incremental(self) -> PullStats:
        stats = PullStats(full=False)
        mapping, store = self.mapping, self.store
        deals_since = _since(store.get_meta("watermark.deals"))
        contacts_since = _since(store.get_meta("watermark.contacts"))
        batch = Batch()
        deal_filter = {"CATEGORY_ID": mapping.pipeline_id}
        batch.add("deals", "crm.deal.list", {"filter": {**deal_filter, ">=DATE_MODIFY": deals_since},
                                             "select": convert.deal_select(mapping), "order": {"ID": "ASC"},
                                             "start": -1})
        batch.add("deals_total", "crm.deal.list", {"filter": deal_filter, "select": ["ID"], "start": 0})
        batch.add("contacts", "crm.contact.list", {"filter": {">=DATE_MODIFY": contacts_since},
                                                   "select": convert.contact_select(mapping), "order": {"ID": "ASC"},
                                                   "start": -1})
        for kind, list_mapping in (("participants", mapping.participants), ("documents", mapping.documents)):
            ids = {"IBLOCK_TYPE_ID": list_mapping.iblock_type, "IBLOCK_ID": list_mapping.iblock_id}
            select = convert.element_select(list_mapping)
            batch.add(f"{kind}_new", "lists.element.get", {**ids, "FILTER": {">ID": store.max_id(kind)},
                                                            "SELECT": select,
                                                            "ELEMENT_ORDER": {"ID": "ASC"}, "start": -1})
            since = _since_value(store.get_meta(f"watermark.{kind}"))
            if since:
                stamp = (since - OVERLAP).isoformat(sep=" ")
                batch.add(f"{kind}_changed", "lists.element.get", {**ids, "FILTER": {">=TIMESTAMP_X": stamp},
                                                                    "SELECT": select,
                                                                    "ELEMENT_ORDER": {"ID": "ASC"}, "start": -1})
            batch.add(f"{kind}_total", "lists.element.get", {**ids, "SELECT": ["ID"], "start": 0})
        result = await self.client.batch(batch)

        deals = await self._follow(result.get("deals"), "crm.deal.list", batch, "deals", LEGACY)
        deal_models = self._news("deals", [convert.deal_from_row(normalize_row(row), mapping) for row in deals])
        self._write("deals", deal_models)
        stats.changed["deals"] = len(deal_models)

        contacts = await self._follow(result.get("contacts"), "crm.contact.list", batch, "contacts", LEGACY)
        known = store.ids("contacts")
        contact_models = self._news("contacts", [convert.contact_from_row(normalize_row(row), mapping)
                                                 for row in contacts
                                                 if identifier(row.get("ID"), "контакт", "crm.contact.list") in known])
        self._write("contacts", contact_models)
        stats.changed["contacts"] = len(contact_models)

        elements: dict[str, list[Any]] = {}
        for kind, list_mapping, make in (("participants", mapping.participants, convert.participant_from_element),
                                         ("documents", mapping.documents, convert.document_from_element)):
            rows = await self._follow(result.get(f"{kind}_new"), "lists.element.get", batch, f"{kind}_new", LISTS)
            if f"{kind}_changed" in batch.labels():
                rows += await self._follow(result.get(f"{kind}_changed"), "lists.element.get", batch,
                                           f"{kind}_changed", LISTS)
            models = {model.id: model for row in rows
                      if (model := make(element_from_wire(row), list_mapping)) is not None}
            fresh = self._news(kind, list(models.values()))
            self._write(kind, fresh)
            stats.changed[kind] = len(fresh)
            elements[kind] = fresh

        # Referenced people not yet in the cache (a participant added on the portal meanwhile).
        new_people = {item.contact_id for item in elements["participants"]} | {
            deal.client_contact_id for deal in deal_models if deal.client_contact_id}
        missing_people = new_people - store.ids("contacts")
        if missing_people:
            await self._store_by_ids("contact", missing_people, convert.contact_select(mapping),
                                     lambda row: convert.contact_from_row(row, mapping), "contacts")

        totals = {"deals": result.totals.get("deals_total", 0),
                  "participants": result.totals.get("participants_total", 0),
                  "documents": result.totals.get("documents_total", 0)}
        for kind, total in totals.items():
            if total != store.count(kind):
                gone = await find_deleted(self.client, self._range_query(kind), sorted(store.ids(kind)))
                if gone:
                    with store.write() as tx:
                        getattr(tx, f"delete_{kind}")(gone)
                stats.deleted[kind] = len(gone)
        with store.write() as tx:
            for kind, models in (("deals", deal_models), ("contacts", contact_models),
                                 ("participants", elements["participants"]), ("documents", elements["documents"])):
                self._advance_watermark(tx, kind, _latest(models))
        return stats

    def _news(self, kind: str, models: list[Any]) -> list[Any]:
        """Only what differs from the cache: the overlap of the watermark brings some rows again."""
        read = {"deals": self.store.deal, "contacts": self.store.contact,
                "participants": lambda model: self.store.participant_by_code(model.code),
                "documents": lambda model: self.store.document_by_code(model.code)}[kind]
        if kind in ("deals", "contacts"):
            return [model for model in models if read(model.id) != model]
        return [model for model in models if read(model) != model]

    async def _follow(self, first: Any, method: str, batch: Batch, label: str, style) -> list[dict[str, Any]]:
        """A first page from the batch, and the rest of its set when that page was full."""
        rows = list(rows_of(style, first, method))
        if len(rows) < PAGE:
            return rows
        params = dict(batch.command_params(label))
        params.pop("start", None)
        after = identifier(rows[-1].get("ID"), "строка списка", method)
        async for page in iter_pages(self.client, method, params, style, after_id=after):
            rows.extend(page)
        return rows

    def _range_query(self, kind: str) -> RangeQuery:
        mapping = self.mapping
        if kind == "deals":
            def deal_params(low: int, high: int, counted: bool) -> dict[str, Any]:
                return {"filter": {"CATEGORY_ID": mapping.pipeline_id, ">=ID": low, "<=ID": high},
                        "select": ["ID"], "order": {"ID": "ASC"}, "start": 0 if counted else -1}
            return RangeQuery("crm.deal.list", deal_params)
        list_mapping = mapping.participants if kind == "participants" else mapping.documents

        def element_params(low: int, high: int, counted: bool) -> dict[str, Any]:
            return {"IBLOCK_TYPE_ID": list_mapping.iblock_type, "IBLOCK_ID": list_mapping.iblock_id,
                    "FILTER": {">=ID": low, "<=ID": high},
                    "SELECT": ["ID"], "ELEMENT_ORDER": {"ID": "ASC"}, "start": 0 if counted else -1}
        return RangeQuery("lists.element.get", element_params)

    def _advance_watermark(self, tx: Any, kind: str, latest: datetime | None) -> None:
        """Move the kind's watermark forward (never back). CRM times carry their offset; list times are the
        portal's local time with no offset and are kept and sent back as such."""
        current = _since_value(self.store.get_meta(f"watermark.{kind}"))
        if latest is not None and (current is None or latest > current):
            tx.set_meta(f"watermark.{kind}", latest.isoformat(sep=" ") if latest.tzinfo is None else latest.isoformat())


def _since_value(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _since(text: str | None) -> str:
    """The filter value for "modified since": the watermark minus the overlap, ISO with its offset."""
    moment = _since_value(text)
    if moment is None:
        return "2000-01-01T00:00:00+00:00"
    return (moment - OVERLAP).isoformat()
