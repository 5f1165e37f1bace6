"""One client's pull of one entity set, in its own process so its memory is its own.

    python -m bench.pull_client CLIENT SET WEBHOOK CA_FILE JSON_TARGET

CLIENT is ``ours``, ``b24pysdk`` or ``fast_bitrix24``; SET is ``deals``, ``participants`` or
``documents``; JSON_TARGET says where they are (pipeline ID, deal select, list IDs). Prints one JSON
line: rows, distinct IDs, seconds, RSS before and at peak (MB).
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from typing import Any


def rss_mb() -> float:
    try:
        with open("/proc/self/statm") as stream:
            return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:  # not Linux: the peak so far is the closest figure
        return peak_mb()


def warm_up(client: str) -> None:
    """Import the client's libraries before the baseline, so growth is the pull's alone."""
    if client == "ours":
        # httpx loads its async backend on the first request; requests has everything at import.
        import anyio._backends._asyncio  # noqa: F401
        import h11  # noqa: F401
        import httpcore  # noqa: F401

        import dpo_desktop.b24.crm
        import dpo_desktop.b24.lists  # noqa: F401
    elif client == "b24pysdk":
        import b24pysdk  # noqa: F401
    else:
        import fast_bitrix24  # noqa: F401


def peak_mb() -> float:
    """This process's peak RSS: VmHWM, which exec resets (ru_maxrss keeps the parent's peak across it)."""
    try:
        with open("/proc/self/status") as stream:
            for line in stream:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _request_of(entity: str, target: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    if entity == "deals":
        return "crm.deal.list", {"filter": {"CATEGORY_ID": target["pipeline"]}, "select": target["select"]}
    return "lists.element.get", {"IBLOCK_TYPE_ID": "lists", "IBLOCK_ID": target[entity]}


async def pull_ours(entity: str, webhook: str, ca_file: str, target: dict[str, Any]) -> list[int]:
    from dpo_desktop.b24.auth import WebhookAuth
    from dpo_desktop.b24.client import B24Client
    from dpo_desktop.b24.crm import Crm
    from dpo_desktop.b24.limiter import PLANS
    from dpo_desktop.b24.lists import Lists

    ids: list[int] = []
    async with B24Client(WebhookAuth.from_url(webhook), verify=ca_file, plan=PLANS["standard"]) as client:
        if entity == "deals":
            async for row in Crm(client).iter("deal", filter={"CATEGORY_ID": target["pipeline"]},
                                              select=target["select"]):
                ids.append(row["ID"])
        else:
            async for element in Lists(client).iter_elements(target[entity]):
                ids.append(element.id)
    return ids


def pull_b24pysdk(entity: str, webhook: str, ca_file: str, target: dict[str, Any]) -> list[int]:
    from urllib.parse import urlsplit

    from b24pysdk import BitrixWebhook, Client

    parts = urlsplit(webhook)
    token = "/".join(parts.path.strip("/").split("/")[1:3])
    client = Client(BitrixWebhook(domain=parts.netloc, webhook_token=token))
    if entity == "deals":
        request = client.crm.deal.list(filter={"CATEGORY_ID": target["pipeline"]}, select=target["select"])
    else:
        request = client.lists.element.get(iblock_type_id="lists", iblock_id=target[entity])
    return [int(row["ID"]) for row in request.as_list_fast().result]


def pull_fast_bitrix24(entity: str, webhook: str, ca_file: str, target: dict[str, Any]) -> list[int]:
    from fast_bitrix24 import Bitrix

    method, params = _request_of(entity, target)
    bitrix = Bitrix(webhook, verbose=False)
    return [int(row["ID"]) for row in bitrix.get_all(method, params)]


def main() -> int:
    client, entity, webhook, ca_file, target = sys.argv[1:6]
    os.environ["REQUESTS_CA_BUNDLE"] = ca_file  # b24pysdk (requests)
    os.environ["SSL_CERT_FILE"] = ca_file  # fast_bitrix24 (aiohttp)
    target_data = json.loads(target)
    warm_up(client)
    base = rss_mb()
    started = time.perf_counter()
    if client == "ours":
        ids = asyncio.run(pull_ours(entity, webhook, ca_file, target_data))
    elif client == "b24pysdk":
        ids = pull_b24pysdk(entity, webhook, ca_file, target_data)
    else:
        ids = pull_fast_bitrix24(entity, webhook, ca_file, target_data)
    seconds = time.perf_counter() - started
    print(json.dumps({"rows": len(ids), "distinct": len(set(ids)), "seconds": seconds,
                      "rss_base_mb": base, "rss_peak_mb": peak_mb()}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
