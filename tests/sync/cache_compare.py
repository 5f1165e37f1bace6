"""Comparing two caches row by row (what an incremental sync built against a fresh full sync)."""

from __future__ import annotations

from dpo_desktop.store import Store


def snapshot(store: Store) -> dict[str, object]:
    def without_local(models):
        return sorted((model.model_dump(exclude={"modified"}) for model in models), key=repr)

    return {
        "deals": without_local(store.deals()),
        "contacts": without_local(store.contacts(sorted(store.ids("contacts")))),
        "participants": without_local(store.participants()),
        "documents": without_local(store.documents()),
        "stages": [stage.model_dump() for stage in store.stages(next(iter({d.pipeline_id for d in store.deals()})))],
    }


def assert_same_cache(left: Store, right: Store) -> None:
    ours, theirs = snapshot(left), snapshot(right)
    for table in ours:
        assert ours[table] == theirs[table], f"{table} differ"
