"""``python -m bench.upload``: 200 scans of 1 MB through the upload queue in Drive mode, over loopback.

Throughput is compared with a raw httpx multipart POST of the same bytes to the same sandbox server in
the same run (the floor: bytes on the wire and the server's own parsing, nothing else); the target is a
ratio of at least 0.7. Each side runs in a fresh process, so its peak RSS growth is its own (target for
ours: under 80 MB). The sandbox runs in a third process with limits off; the figure the issue asks for
is without the latency model, and a second, smaller scenario adds the cloud model's 0.12 s a request
(REST calls and transfers alike), where the uploader's overlap of one file's upload URL with the
previous file's bytes shows.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.figures import record
from bench.pull import ROOT, stop_portal
from dpo_desktop.sandbox import seeds
from dpo_desktop.sandbox.seeds.tiny_pdf import pdf_of

FILES = 200
SIZE = 1 << 20


def make_files(folder: Path, count: int, size: int) -> None:
    """Real PDFs of about ``size`` bytes: one page holding an incompressible stream."""
    rng = random.Random(5)
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        payload = rng.randbytes(size - 600)
        objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
                   b"<< /Length %d >>\nstream\n" % len(payload) + payload + b"\nendstream"]
        body = pdf_of(objects)
        (folder / f"скан {index:03d}.pdf").write_bytes(body)


def side(name: str, webhook: str, files: Path, work: Path) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "bench.upload_client", name, webhook, str(files), str(work)],
                          cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if done.returncode != 0:
        raise SystemExit(f"{name}: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_once(files: Path, work: Path, latency: str = "none") -> tuple[dict, dict]:
    """Each side on a fresh portal process from the same state: the sandbox slows as it holds more bytes,
    so the side that went second would pay for the first."""
    state_file = work / "demo.state"
    work.mkdir(parents=True, exist_ok=True)
    seeds.build("demo").save(state_file)
    results = {}
    for name in ("raw", "ours"):
        process = subprocess.Popen([sys.executable, "-m", "bench.portal_process", str(state_file), "--limits",
                                    "off", "--latency", latency], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        try:
            portal = json.loads(process.stdout.readline())
            results[name] = side(name, portal["webhook"], files, work / name)
        finally:
            counters = stop_portal(process)
        if counters.get("bugs"):
            raise SystemExit(f"the sandbox logged {counters['bugs']} internal errors")
    return results["ours"], results["raw"]


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench.upload")
    parser.add_argument("--files", type=int, default=FILES)
    parser.add_argument("--rounds", type=int, default=3, help="rounds; the median ratio is reported")
    parser.add_argument("--cloud-files", type=int, default=50,
                        help="files for the second scenario, with the cloud latency model (0.12 s a request)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dpo-bench-upload-") as tmp:
        folder = Path(tmp) / "files"
        make_files(folder, args.files, SIZE)
        ratio, growth = scenario("loopback, no latency", folder, Path(tmp), args.rounds, "none")
        cloud = Path(tmp) / "cloud-files"
        cloud.mkdir()
        for path in sorted(folder.iterdir())[: args.cloud_files]:
            (cloud / path.name).hardlink_to(path)
        scenario("loopback, cloud latency per request", cloud, Path(tmp) / "cloud", 1, "cloud")
        verdict = "met" if ratio >= 0.7 else "NOT met"
        print(f"\nthroughput ratio ours/raw, no latency (median): {ratio:.2f} (target ≥ 0.70: {verdict})")
        print(f"peak RSS growth (worst round): {growth:.1f} MB (target < 80: {'met' if growth < 80 else 'NOT met'})")
        record("upload.ratio", f"{args.files} scans of 1 MB, no latency: throughput, ours / raw httpx (median)", ratio,
               "", target=0.7, better="higher")
        record("upload.rss_growth", "peak RSS growth (worst round)", growth, "MB", target=80, strict=True)
    return 0


def scenario(title: str, folder: Path, work: Path, rounds: int, latency: str) -> tuple[float, float]:
    files = sorted(folder.iterdir())
    total_mb = sum(path.stat().st_size for path in files) / 2**20
    print(f"\n{title}: {len(files)} files, {total_mb:.0f} MB, Drive mode, limits off")
    print(f"{'round':>5} {'raw s':>8} {'ours s':>8} {'raw MB/s':>9} {'ours MB/s':>10} {'ratio':>6} "
          f"{'requests':>9} {'CPU s ours/raw':>15} {'RSS growth MB':>14}")
    ratios, growths, speeds = [], [], []
    for number in range(1, rounds + 1):
        ours, raw = run_once(folder, work / f"round{number}", latency)
        ratio = raw["seconds"] / ours["seconds"]
        growth = ours["rss_peak_mb"] - ours["rss_base_mb"]
        ratios.append(ratio)
        growths.append(growth)
        speeds.append((total_mb / ours["seconds"], total_mb / raw["seconds"]))
        cpu = f"{ours['cpu_seconds']:.2f}/{raw['cpu_seconds']:.2f}"
        print(f"{number:>5} {raw['seconds']:>8.2f} {ours['seconds']:>8.2f} {total_mb / raw['seconds']:>9.1f} "
              f"{total_mb / ours['seconds']:>10.1f} {ratio:>6.2f} {ours['requests']:>9} {cpu:>15} {growth:>14.1f}",
              flush=True)
    ours_speed, raw_speed = sorted(speeds)[len(speeds) // 2]
    record(f"upload.throughput_{latency}", f"{title}: throughput (median round)", ours_speed, "MB/s",
           better="higher", peers={"raw httpx": raw_speed})
    return sorted(ratios)[len(ratios) // 2], max(growths)


if __name__ == "__main__":
    sys.exit(main())
