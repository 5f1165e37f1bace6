"""One side of ``bench.upload`` in a process of its own (its RSS is the figure).

    python -m bench.upload_client ours|raw WEBHOOK FILES_DIR WORK_DIR

``ours``: a full sync of the demo office (not timed), then every file through the upload queue (inspect,
hash, classify, Drive upload, list element, cache) to one participant. ``raw``: for each file, an
``uploadUrl`` fetched beforehand (not timed), then a bare httpx multipart POST of the same bytes.
Prints one JSON line: seconds, files, bytes, requests, rss_base_mb, rss_peak_mb.
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
import time
from pathlib import Path

import httpx

from bench.pull_client import rss_mb, warm_up


class PeakSampler:
    """RSS sampled every few milliseconds while the timed part runs."""

    def __init__(self) -> None:
        self.peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, rss_mb())

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


async def ours(webhook: str, files: list[Path], work: Path) -> dict:
    from dpo_desktop.b24.auth import WebhookAuth
    from dpo_desktop.b24.client import B24Client
    from dpo_desktop.b24.limiter import PLANS
    from dpo_desktop.domain.models import DocumentType
    from dpo_desktop.portal.discover import discover
    from dpo_desktop.store import Store
    from dpo_desktop.sync.engine import SyncEngine
    from dpo_desktop.sync.upload_queue import UploadRequest, add_files
    from dpo_desktop.sync.uploader import Uploader

    async with B24Client(WebhookAuth.from_url(webhook), plan=PLANS["off"]) as client:
        mapping = (await discover(client)).mapping
        store = Store.open(work / "cache.sqlite3")
        await SyncEngine(client, store, mapping).sync(full=True)
        deal = next(deal for deal in store.deals() if store.participants(deal_id=deal.id))
        contact = store.participants(deal_id=deal.id)[0].contact_id
        base, requests = rss_mb(), client.stats.requests
        with PeakSampler() as sampler:
            started, cpu = time.perf_counter(), time.process_time()
            ids = add_files(store, UploadRequest(files, deal.id, contact, DocumentType.OTHER)).ids
            stats = await Uploader(client, store, mapping).run(ids)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        if stats.done != len(files):
            raise SystemExit(f"only {stats.done} of {len(files)} landed: {stats.messages}")
        store.close()
        return {"seconds": seconds, "cpu_seconds": cpu, "requests": client.stats.requests - requests,
                "rss_base_mb": base, "rss_peak_mb": sampler.peak}


async def raw(webhook: str, files: list[Path]) -> dict:
    async with httpx.AsyncClient(timeout=60) as http:
        answer = await http.post(webhook + "disk.storage.getlist", json={})
        common = next(item for item in answer.json()["result"] if item["ENTITY_TYPE"] == "common")
        folder = (await http.post(webhook + "disk.folder.addsubfolder", json={
            "id": common["ROOT_OBJECT_ID"], "data": {"NAME": "raw-bench"}})).json()["result"]["ID"]
        urls = []
        for path in files:
            target = (await http.post(webhook + "disk.folder.uploadfile", json={
                "id": folder, "data": {"NAME": path.name}})).json()["result"]
            urls.append((target["uploadUrl"], target["field"]))
        base = rss_mb()
        with PeakSampler() as sampler:
            started, cpu = time.perf_counter(), time.process_time()
            for path, (url, field) in zip(files, urls, strict=True):
                with open(path, "rb") as stream:
                    response = await http.post(url, files={field: (path.name, stream, "application/octet-stream")})
                response.raise_for_status()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        return {"seconds": seconds, "cpu_seconds": cpu, "requests": len(files), "rss_base_mb": base,
                "rss_peak_mb": sampler.peak}


def main() -> int:
    side, webhook, files_dir, work = sys.argv[1], sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
    files = sorted(files_dir.iterdir())
    warm_up("ours")
    result = asyncio.run(ours(webhook, files, work) if side == "ours" else raw(webhook, files))
    result.update(files=len(files), bytes=sum(path.stat().st_size for path in files))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
