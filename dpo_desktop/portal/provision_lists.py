"""Provisioning of the two universal lists: the lists, their missing fields, missing list values."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..b24.batch import MAX_COMMANDS, Batch
from . import matching, schema
from .problems import quoted

if TYPE_CHECKING:
    from ..b24.client import B24Client
    from .discover import Discovery
    from .settings import PortalSettings
    from .snapshot import RemoteListField

Done = Callable[[str, str], None]  # (kind, Russian sentence)


async def provision_lists(client: B24Client, settings: PortalSettings, before: Discovery, keys: set[str],
                          done: Done) -> None:
    ids = {key: found.id for key, (found, _how) in before.snapshot.chosen_lists.items()}
    new = [spec for spec in schema.LISTS if f"list:{spec.key}" in keys]
    if new:
        batch = Batch()
        for spec in new:
            batch.add(f"list_{spec.key}", "lists.add", {
                "IBLOCK_TYPE_ID": settings.iblock_type, "IBLOCK_CODE": spec.code,
                "FIELDS": {"NAME": spec.title, "DESCRIPTION": spec.description, "SORT": 500}})
        answer = await client.batch(batch)
        for spec in new:
            error = answer.errors.get(f"list_{spec.key}")
            if error is not None:
                done("failed", f"Список «{spec.title}» не создан: {error.description}")
                continue
            ids[spec.key] = int(answer.results[f"list_{spec.key}"])
            done("created", f"Создан список «{spec.title}» (код {spec.code}, ID {ids[spec.key]})")

    additions: list[tuple[schema.ListSpec, schema.ListFieldSpec, int]] = []
    for spec in schema.LISTS:
        if spec.key not in ids:
            continue
        for position, field_spec in enumerate(spec.fields, start=1):
            if spec in new or f"list_field:{spec.key}.{field_spec.logical}" in keys:
                additions.append((spec, field_spec, position))
    for start in range(0, len(additions), MAX_COMMANDS):
        await _add_fields(client, settings, ids, additions[start:start + MAX_COMMANDS], done)

    for spec in schema.LISTS:
        for field_spec in spec.fields:
            remote = before.list_fields.get(spec.key, {}).get(field_spec.logical)
            if f"list_values:{spec.key}.{field_spec.logical}" in keys and remote is not None:
                await _add_values(client, settings, ids[spec.key], spec, field_spec, remote, done)


async def _add_fields(client: B24Client, settings: PortalSettings, ids: dict[str, int],
                      additions: list[tuple[schema.ListSpec, schema.ListFieldSpec, int]], done: Done) -> None:
    batch = Batch()
    for index, (spec, field_spec, position) in enumerate(additions):
        batch.add(f"field{index}", "lists.field.add", {
            "IBLOCK_TYPE_ID": settings.iblock_type, "IBLOCK_ID": ids[spec.key],
            "FIELDS": list_field_definition(field_spec, position)})
    answer = await client.batch(batch)
    for index, (spec, field_spec, _position) in enumerate(additions):
        error = answer.errors.get(f"field{index}")
        if error is not None:
            done("failed", f"Поле «{field_spec.title}» списка «{spec.title}» не создано: {error.description}")
        else:
            done("created", f"В список «{spec.title}» добавлено поле «{field_spec.title}» (код {field_spec.code})")


async def _add_values(client: B24Client, settings: PortalSettings, iblock_id: int, spec: schema.ListSpec,
                      field_spec: schema.ListFieldSpec, remote: RemoteListField, done: Done) -> None:
    """Add the missing values of an L property, keeping every value it has (by its ID).

    (unconfirmed) ``lists.field.update`` replaces the values with the LIST sent: values named by their
    IDs are kept, new ones added, the ones left out deleted — so every present value is sent back.
    """
    _mapped, missing = matching.map_values(remote.values, field_spec.values)
    if not missing:
        return
    listed: dict[str, dict[str, Any]] = {
        value.id: {"VALUE": value.value, "SORT": (position + 1) * 10, "DEF": "N"}
        for position, value in enumerate(remote.values)}
    top = len(remote.values)
    for offset, value in enumerate(missing):
        listed[f"n{offset}"] = {"VALUE": value.title, "SORT": (top + offset + 1) * 10, "DEF": "N"}
    fields = {"NAME": remote.name, "TYPE": remote.type, "CODE": remote.code or field_spec.code,
              "SORT": remote.sort, "IS_REQUIRED": "Y" if remote.required else "N",
              "MULTIPLE": "Y" if remote.multiple else "N", "LIST": listed}
    await client.call("lists.field.update", {"IBLOCK_TYPE_ID": settings.iblock_type, "IBLOCK_ID": iblock_id,
                                             "FIELD_ID": remote.field_id, "FIELDS": fields})
    done("updated", f"В поле «{remote.name}» списка «{spec.title}» добавлены значения "
                    f"{quoted([value.title for value in missing])}")


def list_field_definition(spec: schema.ListFieldSpec, position: int) -> dict[str, Any]:
    """``lists.field.add`` fields for one property of the schema."""
    fields: dict[str, Any] = {"NAME": spec.title, "TYPE": spec.create_type, "CODE": spec.code,
                              "SORT": position * 10, "IS_REQUIRED": "Y" if spec.required else "N", "MULTIPLE": "N"}
    if spec.create_type == "L":
        fields["LIST"] = {f"n{index}": {"VALUE": value.title, "SORT": (index + 1) * 10, "DEF": "N"}
                          for index, value in enumerate(spec.values)}
    if spec.link is not None:
        fields["USER_TYPE_SETTINGS"] = {"VISIBLE": "Y", "LEAD": "N", "COMPANY": "N",
                                        "DEAL": "Y" if spec.link == "DEAL" else "N",
                                        "CONTACT": "Y" if spec.link == "CONTACT" else "N"}
    return fields
