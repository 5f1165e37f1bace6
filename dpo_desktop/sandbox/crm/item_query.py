"""Filters and ordering of ``crm.item.list``, turned into predicates on the legacy records.

Names are the item's (camelCase or UPPER_CASE), with the usual operator prefixes. Unlike legacy lists,
a name the type does not have is refused: 400 ``INVALID_ARG_VALUE`` "Invalid filter: field 'x' is not
allowed in filter" (docs crm-item-list). Nested groups — integer keys holding a map — combine with
``logic: "OR"`` or the default AND; an OR group becomes the set of IDs its branches match.
"""

from __future__ import annotations

from typing import Any

from .. import errors, wire
from ..compare import to_integer
from ..query import Predicate, split_operator
from .item_fields import FLAG
from .item_schema import ItemSchema

# (unconfirmed) how deep groups may nest; JSON allows far more than any real filter needs.
MAX_DEPTH = 16


def build_filter(schema: ItemSchema, raw: Any) -> list[Predicate]:
    """Predicates (all must hold) for a ``filter`` parameter. Raises ApiError for what the portal refuses."""
    return _Filter(schema).group(wire.as_map(raw), 0)


def build_order(schema: ItemSchema, raw: Any) -> list[tuple[str, bool]]:
    """``{"id": "ASC"}`` → ``[("ID", True)]``. A scalar ``order`` is ignored, as the portal ignores a non-array."""
    if not isinstance(raw, (dict, list)):
        return []
    order = []
    for name, direction in wire.as_map(raw).items():
        key = schema.resolve(str(name))
        code = schema.legacy_code(key) if key else None
        if code is None or code not in schema.entity.table.kinds:
            raise errors.invalid_arg(f"Invalid order: field '{name}' is not allowed in order")
        text = direction.strip().upper() if isinstance(direction, str) else None
        if text not in ("ASC", "DESC"):
            shown = wire.php_string(direction) if not isinstance(direction, (dict, list)) else "Array"
            raise errors.invalid_arg(
                f"Invalid order: allowed sort directions are ASC, DESC. But got '{shown}' for field '{name}'")
        order.append((code, text == "ASC"))
    return order


def _not_allowed(name: str) -> errors.ApiError:
    return errors.invalid_arg(f"Invalid filter: field '{name}' is not allowed in filter")


class _Filter:
    def __init__(self, schema: ItemSchema) -> None:
        self.schema = schema
        self.table = schema.entity.table

    def group(self, node: dict[str, Any], depth: int) -> list[Predicate]:
        if depth > MAX_DEPTH:
            raise errors.invalid_arg("Invalid filter: too deep")  # (unconfirmed) the portal's limit and text
        logic = "AND"
        branches: list[list[Predicate]] = []
        for key, value in node.items():
            key = str(key)
            if key.upper() == "LOGIC":
                logic = _logic(value)
            elif wire.php_int_key(key) is not None and isinstance(value, (dict, list)):
                branches.append(self.group(wire.as_map(value), depth + 1))
            else:
                branches.append([self.condition(key, value)])
        if logic == "AND":
            return [predicate for branch in branches for predicate in branch]
        if not branches or not all(branches):
            return []  # an empty branch holds for every record, and so does the whole OR
        matched: set[int] = set()
        for branch in branches:
            matched |= self._ids(branch)
        return [Predicate("ID", "in", sorted(matched))]

    def _ids(self, predicates: list[Predicate]) -> set[int]:
        page = self.table.select(predicates, [], -1, page_size=max(len(self.table), 1))
        return {int(record["ID"]) for record in page.rows}

    def condition(self, key: str, value: Any) -> Predicate:
        if key.startswith("!%="):
            op, name = "not_pattern", key[3:]  # documented as the same as "!=%"
        else:
            op, name = split_operator(key)
        item_key = self.schema.resolve(name)
        if item_key is None:
            raise _not_allowed(name)
        if item_key == "contactIds" and self.schema.type.kind == "deal":
            return self._bound_contacts(name, op, value)
        code = self.schema.legacy_code(item_key)
        if code is None or code not in self.table.kinds:
            # (unconfirmed) answer-only fields the sandbox does not keep, multifields and the type itself.
            raise _not_allowed(name)
        flag = item_key in self.schema.standard and self.schema.standard[item_key].kind == FLAG
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            value = [_filter_value(item, flag) for item in value]
            if op == "=":
                op = "in"
            elif op == "!=":
                op = "not_in"
        else:
            value = _filter_value(value, flag)
        return Predicate(code, op, value)

    def _bound_contacts(self, name: str, op: str, value: Any) -> Predicate:
        """A deal's ``contactIds`` live in its bindings: the deals bound to any of the given contacts."""
        if op not in ("=", "in", "!=", "not_in"):
            raise errors.invalid_arg(f"Invalid filter: field '{name}' has invalid value")  # (unconfirmed)
        wanted = {to_integer(item) for item in wire.as_list(value) if not isinstance(item, (dict, list))}
        deals = sorted(deal_id for deal_id, items in self.schema.crm.deal_contacts.items()
                       if any(item["CONTACT_ID"] in wanted for item in items))
        return Predicate("ID", "in" if op in ("=", "in") else "not_in", deals)


def _logic(value: Any) -> str:
    text = value.strip().upper() if isinstance(value, str) else None
    if text not in ("AND", "OR"):
        raise errors.invalid_arg("Invalid filter: unknown logic")  # (unconfirmed) the text
    return text


def _filter_value(value: Any, flag: bool) -> Any:
    """JSON booleans as the portal reads them: ``Y``/``N`` for a flag, PHP's string otherwise."""
    if isinstance(value, bool):
        if flag:
            return "Y" if value else "N"
        return wire.php_string(value)
    return value
