#!/usr/bin/env python3
"""What watching costs: `portlens watch` against the pollers people use, on a busy host.

Run by bench/watch.sh, which builds the busy host (bench/load.py hold) first. For each
watcher, in one run: start it, let it settle, then open a new listener every few seconds
(python sockets on fresh loopback ports) and close it again, and measure

  - the CPU it used (user + system, from /proc/PID/stat, children included) as a share of
    one core over the measured window;
  - for portlens, how long from bind() to the `opened` line on its stdout (--jsonl).

The pollers (`ss -Hltnp` every second, `lsof -iTCP -sTCP:LISTEN` every 2 s as port-kill does)
print nothing to compare: their detection delay is their period by construction, and only
their cost is measured. Prints a markdown table. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import socket
import statistics
import subprocess
import sys
import threading
import time

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[11..14] are utime, stime, cutime, cstime (stat fields 14-17)
    return sum(int(x) for x in fields[11:15]) / TICK


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def measure(name: str, cmd: str, seconds: float, opens: int, reads_events: bool) -> dict:
    # a poller loop is measured as its bash (reaped children count in cutime/cstime); portlens is
    # exec'd so that the pid is the JVM's
    proc = subprocess.Popen(["bash", "-c", ("exec " if reads_events else "") + cmd], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, bufsize=1)
    lines: queue.Queue[tuple[float, str]] = queue.Queue()

    def pump() -> None:  # every line with the time it arrived, read on a thread of its own
        for line in proc.stdout:
            lines.put((time.monotonic(), line))

    threading.Thread(target=pump, daemon=True).start()
    pending: dict[int, float] = {}
    latencies: list[float] = []

    def drain(until: float) -> None:
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return
            try:
                arrived, line = lines.get(timeout=left)
            except queue.Empty:
                return
            if not reads_events:
                continue
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            port = ev.get("listener", {}).get("port")
            if ev.get("event") == "opened" and port in pending:
                latencies.append(arrived - pending.pop(port))

    # start-up, the first full read and (JDK 22+) the switch to netlink are not the steady cost
    drain(time.monotonic() + 15)
    c0, t0 = cpu_seconds(proc.pid), time.monotonic()
    gap = seconds / max(opens, 1)
    held = []
    for _ in range(opens):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen()
        pending[s.getsockname()[1]] = time.monotonic()
        held.append(s)
        drain(time.monotonic() + gap / 2)
        held.pop().close()
        drain(time.monotonic() + gap / 2)
    c1, t1 = cpu_seconds(proc.pid), time.monotonic()
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    share = (c1 - c0) / (t1 - t0) * 100
    return {"name": name, "cpu_pct": share, "latencies": latencies, "missed": len(pending),
            "reads_events": reads_events, "window_s": t1 - t0}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--portlens", required=True, help="the portlens command (launcher)")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--opens", type=int, default=6)
    ap.add_argument("--java-home-25", default="")
    args = ap.parse_args()
    pl = args.portlens
    runs = [
        ("portlens watch (default: 1 s, ≤2% CPU)", f"{pl} watch --jsonl", True),
        ("portlens watch --max-cpu 100 (1 s, no CPU cap)", f"{pl} watch --jsonl --max-cpu 100", True),
    ]
    if args.java_home_25:
        runs.append((f"portlens watch on JDK 25 (default)", f"env JAVA_HOME={args.java_home_25} {pl} watch --jsonl", True))
    runs += [
        ("ss -Hltnp every 1 s", "while :; do ss -Hltnp >/dev/null; sleep 1; done", False),
        ("lsof -iTCP -sTCP:LISTEN every 2 s", "while :; do lsof -nP -iTCP -sTCP:LISTEN >/dev/null; sleep 2; done", False),
    ]
    print("| watcher | CPU, % of one core | opened seen after (median / max) | missed |")
    print("|---|---|---|---|")
    results = []
    for name, cmd, events in runs:
        r = measure(name, cmd, args.seconds, args.opens, events)
        results.append(r)
        lat = r["latencies"]
        seen = (f"{statistics.median(lat) * 1000:.0f} ms / {max(lat) * 1000:.0f} ms" if lat
                else ("—" if not events else "none seen"))
        print(f"| {name} | {r['cpu_pct']:.2f} | {seen} | {r['missed'] if events else '—'} |", flush=True)
    base = results[0]["cpu_pct"]
    print()
    for r in results[1:]:
        if r["cpu_pct"] > 0:
            print(f"- CPU of `{results[0]['name']}` / `{r['name']}`: {base / r['cpu_pct']:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
