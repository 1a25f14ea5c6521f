"""Load test against a real `replycoach serve` on loopback.

    .venv/bin/python benchmarks/load_test.py [--clients 8] [--checks 10000] [--max-seconds 480]

N concurrent clients (keep-alive HTTP/1.1) each send M checks; the run stops
by itself when all are sent or the time is up. Reports errors, requests/s,
p50/p99 latency and the server's RSS sampled every second (it should stay
flat). The server runs with REPLYCOACH_PACKS_PATH pointing at a temp copy of
the small example team pack (hotel-chain) and with pack hot reload on; half
way through, one of the pack's files is replaced by a broken one: requests
must keep succeeding (the last good version of the pack stays in use).
Results: benchmarks/results/load.md."""
from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report import write_result  # noqa: E402
from replycoach.serve import DEFAULT_THREADS  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RESULTS = os.path.join(ROOT, "benchmarks", "results")
PY = sys.executable

DRAFTS = [
    {"text": "Hi Anna, thank you for your review. We are sorry the room was not cleaned on the second day; "
             "we have spoken to housekeeping and it will not happen again. The Aurora team",
     "review": {"text": "The room was dirty and nobody cleaned it.", "rating": 2, "author": "Anna"}},
    {"text": "Dear customer, your opinion is very important to us!! Our rooms are not cheap, whatever you think. "
             "Write to me at bob@mail.example.", "review": {"text": "Overpriced.", "rating": 1}},
    {"text": "Здравствуйте, Анна! Спасибо за отзыв. Нам очень жаль, что номер не убрали; мы поговорили "
             "с горничными. Команда Aurora", "review": {"text": "Грязный номер.", "rating": 2, "author": "Анна"}},
    {"text": "Baie dankie vir jou resensie, Pieter! Ons is bly jy het die ontbyt geniet. Die Aurora-span",
     "language": "af"},
    {"text": "Ευχαριστούμε για την κριτική σας! Χαιρόμαστε που σας άρεσε το πρωινό. Η ομάδα Aurora 😀"},
    {"text": ("Tere, Mari! Aitäh, et leidsite aega meile kirjutada. Meil on väga kahju, et tuba ei koristatud. "
              * 8).strip()},
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: str, port: int, packs_path: str | None = None, extra_args=(), log_path=None):
    """Start `replycoach serve`; returns (process, seconds until /api/v1/health answered)."""
    env = {**os.environ, "REPLYCOACH_HOME": home}
    env.pop("REPLYCOACH_PACKS_PATH", None)
    if packs_path:
        env["REPLYCOACH_PACKS_PATH"] = packs_path
    log = open(log_path or os.path.join(home, "serve.log"), "wb")
    started = time.perf_counter()
    proc = subprocess.Popen([PY, "-c", "import sys; from replycoach.cli import main; sys.exit(main())",
                             "serve", "--host", "127.0.0.1", "--port", str(port), *extra_args],
                            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; see {log.name}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                conn.close()
                return proc, time.perf_counter() - started
        except OSError:
            pass
        if time.perf_counter() - started > 120:
            proc.kill()
            raise RuntimeError("server did not answer in 120 s")
        time.sleep(0.02)


def stop_server(proc):
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


class Client(threading.Thread):
    """Sends `count` checks over one keep-alive connection."""

    def __init__(self, port, count, deadline, offset, bodies, on_done):
        super().__init__(daemon=True)
        self.port, self.count, self.deadline, self.offset = port, count, deadline, offset
        self.bodies, self.on_done = bodies, on_done
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.sent = 0

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Content-Type": "application/json"}
        for i in range(self.count):
            if time.monotonic() > self.deadline:
                break
            body = self.bodies[(i + self.offset) % len(self.bodies)]
            t = time.perf_counter()
            try:
                conn.request("POST", "/api/v1/check", body=body, headers=headers)
                r = conn.getresponse()
                data = r.read()
                if r.status != 200 or b'"warnings"' not in data:
                    self.errors.append(f"{r.status}: {data[:200]!r}")
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(repr(exc))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            self.latencies.append((time.perf_counter() - t) * 1000)
            self.sent += 1
            self.on_done()
        conn.close()


def rss_mb(pid: int) -> float:
    try:
        import psutil
        return psutil.Process(pid).memory_info().rss / 2**20
    except ImportError:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    return float("nan")


def get_json(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    r = conn.getresponse()
    return r.status, json.loads(r.read())


def _first_problem(pack, refused):
    errors = (pack or {}).get("errors") or [e for r in refused for e in r.get("errors", [])]
    if not errors:
        return None
    e = errors[0]
    return f"`{os.path.basename(str(e.get('file', '')))}:{e.get('line', '')} {e.get('message', '')}`"[:300]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--checks", type=int, default=10_000, help="checks per client")
    ap.add_argument("--max-seconds", type=float, default=480)
    ap.add_argument("--out", default=os.path.join(RESULTS, "load.md"))
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="replycoach-load-")
    home = os.path.join(work, "home")
    packs = os.path.join(work, "packs")
    os.makedirs(home)
    pack = os.path.join(packs, "hotel-chain")
    shutil.copytree(os.path.join(ROOT, "rules", "examples", "hotel-chain"), pack)
    port = free_port()
    proc, startup = start_server(home, port, packs_path=packs, extra_args=["--threads", str(DEFAULT_THREADS)])
    print(f"server up in {startup:.1f} s on port {port} (pid {proc.pid})", flush=True)
    status, health = get_json(port, "/api/v1/health")
    assert "hotel-chain" in {p["id"] for p in health["packs"]}, health
    bodies = [json.dumps(b).encode() for b in DRAFTS]

    total = args.clients * args.checks
    done = [0]
    lock = threading.Lock()
    half = threading.Event()

    def on_done():
        with lock:
            done[0] += 1
            if done[0] >= total // 2:
                half.set()

    deadline = time.monotonic() + args.max_seconds
    clients = [Client(port, args.checks, deadline, i, bodies, on_done) for i in range(args.clients)]
    rss: list[tuple[float, float, int]] = []
    started = time.perf_counter()
    for c in clients:
        c.start()

    broken_at = None
    broken_done = 0
    pack_state = {}
    while any(c.is_alive() for c in clients):
        rss.append((time.perf_counter() - started, rss_mb(proc.pid), done[0]))
        if half.is_set() and broken_at is None:
            # Replace a pack file with a broken one, as a careless edit of a shared pack would.
            target = os.path.join(pack, "lang", "en.yaml")
            with open(target + ".tmp", "w", encoding="utf-8") as fh:
                fh.write("lists:\n  banned: [cheap*, motel*\n  signoff: {{{ not yaml\n")
            os.replace(target + ".tmp", target)
            broken_at = time.perf_counter() - started
            broken_done = done[0]
            print(f"broke hotel-chain/lang/en.yaml at {broken_at:.1f} s after {broken_done} checks", flush=True)
        if broken_at is not None and not pack_state and time.perf_counter() - started > broken_at + 5:
            _, pack_state = get_json(port, "/api/v1/packs")
        time.sleep(1.0)
    elapsed = time.perf_counter() - started
    rss.append((elapsed, rss_mb(proc.pid), done[0]))
    if not pack_state:
        _, pack_state = get_json(port, "/api/v1/packs")
    _, health_after = get_json(port, "/api/v1/health")
    stop_server(proc)

    lat = [x for c in clients for x in c.latencies]
    errors = [e for c in clients for e in c.errors]
    sent = sum(c.sent for c in clients)
    # Errors after the pack broke: count by position is not tracked per request,
    # so count all; any error at all is reported.
    in_use = {p["id"]: p for p in pack_state.get("packs", [])}
    refused = pack_state.get("refused", [])
    stale = bool(in_use.get("hotel-chain", {}).get("stale"))
    rss_vals = [r for _, r, _ in rss]
    steady = [r for t, r, _ in rss if t >= min(10.0, elapsed / 4)] or rss_vals

    lines = [
        "# Load test (benchmarks/load_test.py)",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
        "Client and server share the same cores.",
        f"Server: `replycoach serve --threads {DEFAULT_THREADS}` (waitress, pack hot reload on), "
        "REPLYCOACH_PACKS_PATH = temp copy of rules/examples/hotel-chain."
        f" Start-up to /api/v1/health: {startup:.1f} s.",
        f"Load: {args.clients} concurrent keep-alive clients x {args.checks:,} checks (limit {args.max_seconds:.0f} s), "
        f"{len(DRAFTS)} drafts in 5 languages (150-800 chars) with reviews.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| requests sent | {sent:,} of {total:,} |",
        f"| errors (non-200 or no warnings) | {len(errors)} |",
        f"| duration | {elapsed:.1f} s |",
        f"| throughput | {sent / elapsed:.0f} req/s |",
        f"| latency p50 | {statistics.median(lat):.1f} ms |" if lat else "| latency p50 | - |",
        f"| latency p99 | {pct(lat, 99):.1f} ms |",
        f"| latency max | {max(lat):.1f} ms |" if lat else "| latency max | - |",
        f"| server RSS start / end | {rss_vals[0]:.1f} MB / {rss_vals[-1]:.1f} MB |",
        f"| server RSS after warm-up: min / max | {min(steady):.1f} MB / {max(steady):.1f} MB |",
        "",
        "## Broken pack in the middle of the load",
        "",
        f"At {broken_at:.1f} s (after {broken_done:,} checks) `hotel-chain/lang/en.yaml` was replaced by invalid YAML."
        if broken_at is not None else "The run ended before the pack was broken.",
        f"Checks after that: {sent - broken_done:,}; errors in the whole run: {len(errors)}.",
        f"Five seconds later /api/v1/packs said: hotel-chain in use: {'hotel-chain' in in_use} "
        f"(stale, i.e. last good version kept: {stale}); refused folders: "
        f"{[r['path'].split(os.sep)[-1] for r in refused]}; "
        f"problem reported for the pack: {_first_problem(in_use.get('hotel-chain'), refused)}.",
        f"Health at the end: packs {[p['id'] for p in health_after['packs']]}, pack_errors {health_after['pack_errors']}.",
        "",
        "## Server RSS over time",
        "",
        "| t (s) | checks done | RSS (MB) |",
        "|---|---|---|",
    ]
    step = max(1, len(rss) // 20)
    for t, r, d in rss[::step] + ([rss[-1]] if (len(rss) - 1) % step else []):
        lines.append(f"| {t:.0f} | {d:,} | {r:.1f} |")
    if errors:
        lines += ["", "## First errors", ""] + [f"- `{e}`" for e in errors[:10]]
    write_result(args.out, lines)
    print("\n".join(lines[:20]))
    shutil.rmtree(work, ignore_errors=True)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
