#!/usr/bin/env python3
"""The web bench: `portlens serve` and `portlens site` against issue 10's speed targets.

Run by bench/web.sh, inside the network namespace it creates (so every connection here is on that
namespace's own loopback). Standard library only (python3 >= 3.11).

  web.py run --root DIR --out DIR --nginx-conf FILE [...]   every part, a markdown report on stdout
  web.py listen --port P                                     a tiny HTTP listener (the live port)

Parts of `run`, in this order:
  3. `portlens site --out OUT/site` for all 65,536 ports (wall, du, files), then `cp -r` and `tar` of
     the result as peers for scale (unless --reuse-site);
  1. wrk -t2 -c64 --latency on /port/P and /api/ports/P of `portlens serve`, and on /port/P/ of
     nginx serving the exported page; and, as a diagnostic, /port/P on a serve with C2 on;
  2. from `./portlens serve` starting to the first 200 on `/`, --runs times after one warm-up;
  4. the busy host (load.py hold --scenario busy, as run.sh builds it) and a listener on
     --live-port: `./portlens LIVE` against one cold GET /port/LIVE on a warm serve, round-robin.
Raw numbers go to OUT/results/web.json. Exit 1 when a target is missed, 3 when the bench itself fails,
0 otherwise.
"""

from __future__ import annotations

import argparse
import http.client
import http.server
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH_DIR)
import load  # noqa: E402  (the bench's own helpers: _set_pdeathsig)

TICK = os.sysconf("SC_CLK_TCK")
NCPU = os.cpu_count() or 1
CHILDREN: list[subprocess.Popen] = []


def log(msg: str) -> None:
    print(f"[web] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# processes
# --------------------------------------------------------------------------

def spawn(argv: list[str], **kw) -> subprocess.Popen:
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, **kw)
    CHILDREN.append(p)
    return p


def stop(p: subprocess.Popen, timeout: float = 10.0) -> int | None:
    """SIGTERM, then SIGKILL after `timeout`; returns the exit status (negative: killed by a signal)."""
    if p.poll() is None:
        try:
            p.send_signal(signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    if p in CHILDREN:
        CHILDREN.remove(p)
    return p.returncode


def stop_all() -> None:
    for p in list(reversed(CHILDREN)):
        stop(p, 5.0)


# --------------------------------------------------------------------------
# CPU accounting: who used the 2 cores during a window
# --------------------------------------------------------------------------

def cpu_busy() -> tuple[float, float]:
    """Seconds of CPU on the whole machine (all cores), from /proc/stat: (user + nice + system, irq +
    softirq). Loopback traffic is mostly softirq work, charged to no process."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (v[0] + v[1] + v[2]) / TICK, (v[5] + v[6]) / TICK


def proc_cpu(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except (OSError, IndexError, ValueError):
        return 0.0


def proc_comm(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except OSError:
        return ""


def ns_pids() -> list[int]:
    """Processes in this network namespace (the bench's own)."""
    me = os.readlink("/proc/self/ns/net")
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if os.readlink(f"/proc/{d}/ns/net") == me:
                    out.append(int(d))
            except OSError:
                pass
    return out


def cpu_snapshot() -> tuple[tuple[float, float], dict[int, float]]:
    return cpu_busy(), {pid: proc_cpu(pid) for pid in ns_pids()}


class Others:
    """CPU used by every process outside the bench's namespace (another build or test run on the
    machine), sampled every 0.5 s on a thread of its own while a part runs. A process that starts and
    ends between two samples is missed."""

    def __init__(self) -> None:
        self.me = os.readlink("/proc/self/ns/net")
        self.stop_ev = threading.Event()
        self.total = 0.0
        self.peak = 0.0
        self.t0 = time.perf_counter()
        self.seen: dict[int, float] = self._sample()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _sample(self) -> dict[int, float]:
        out = {}
        for d in os.listdir("/proc"):
            if not d.isdigit():
                continue
            try:
                if os.readlink(f"/proc/{d}/ns/net") == self.me:
                    continue
            except OSError:
                continue
            out[int(d)] = proc_cpu(int(d))
        return out

    def _run(self) -> None:
        last = time.perf_counter()
        while not self.stop_ev.wait(0.5):
            now_s = self._sample()
            now = time.perf_counter()
            used = sum(c - self.seen.get(pid, 0.0) for pid, c in now_s.items())
            self.total += used
            self.peak = max(self.peak, used / (now - last))
            self.seen, last = now_s, now

    def stop(self) -> tuple[float, float]:
        """(average cores, peak cores over one sample)"""
        self.stop_ev.set()
        self.thread.join()
        return self.total / max(1e-9, time.perf_counter() - self.t0), self.peak


# --------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------

def http_get(port: int, path: str, timeout: float = 30.0) -> tuple[int, bytes, float]:
    """One GET on a new connection: (status, body, ms including connect)."""
    t0 = time.perf_counter()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        return r.status, body, (time.perf_counter() - t0) * 1000.0
    finally:
        c.close()


DATA_DIR = ""


def portlens_env() -> dict:
    """The launcher never builds; the data directory (votes.db, history) is the bench's own, empty."""
    env = dict(os.environ)
    env["PORTLENS_NO_BUILD"] = "1"
    env["PORTLENS_DATA_DIR"] = DATA_DIR
    env.pop("PORTLENS_TOKEN", None)
    return env


class Serve:
    """`./portlens serve --bind 127.0.0.1:PORT`, started through the launcher as a user would."""

    def __init__(self, root: str, out: str, port: int, name: str, java_opts: str | None = None,
                 token: str | None = None):
        env = portlens_env()
        if java_opts:
            env["PORTLENS_JAVA_OPTS"] = (env.get("PORTLENS_JAVA_OPTS", "") + " " + java_opts).strip()
        if token:
            env["PORTLENS_TOKEN"] = token
        self.port = port
        self.stdout = os.path.join(out, f"serve-{name}.out")
        self.stderr = os.path.join(out, f"serve-{name}.err")
        self.t0 = time.perf_counter()
        with open(self.stdout, "w") as so, open(self.stderr, "w") as se:
            self.proc = spawn([os.path.join(root, "portlens"), "serve", "--bind", f"127.0.0.1:{port}"],
                              stdout=so, stderr=se, cwd=root, env=env)

    def wait_ready(self, path: str = "/", limit: float = 60.0, poll: float = 0.01) -> float:
        """Polls `path` every `poll` s; ms from the start to the first 200. Notes on the way when the
        `ready in` line showed up on stdout (self.line_ms, to the poll's resolution)."""
        deadline = self.t0 + limit
        self.line_ms = None
        done = threading.Event()

        def watch_line() -> None:   # the first GET may block for a while once the port is open
            while not done.is_set() and time.perf_counter() < deadline:
                if "ready in" in self.ready_line():
                    self.line_ms = (time.perf_counter() - self.t0) * 1000.0
                    return
                time.sleep(0.002)

        watcher = threading.Thread(target=watch_line, daemon=True)
        watcher.start()
        try:
            return self._poll(path, deadline, poll)
        finally:
            done.set()
            watcher.join()

    def _poll(self, path: str, deadline: float, poll: float) -> float:
        limit = deadline - self.t0
        while time.perf_counter() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"portlens serve exited with {self.proc.returncode} before answering: "
                                   + open(self.stderr).read()[-500:])
            try:
                status, _, _ = http_get(self.port, path, timeout=2.0)
                if status == 200:
                    return (time.perf_counter() - self.t0) * 1000.0
            except OSError:
                pass
            time.sleep(poll)
        raise RuntimeError(f"portlens serve did not answer 200 on {path} within {limit:.0f} s")

    def ready_line(self) -> str:
        try:
            with open(self.stdout) as f:
                return f.readline().strip()
        except OSError:
            return ""

    def stop(self) -> int | None:
        return stop(self.proc)


# --------------------------------------------------------------------------
# wrk
# --------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def parse_wrk(text: str) -> dict:
    def lat(pct: str) -> float | None:
        m = re.search(rf"^\s*{pct}%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
        return float(m.group(1)) * UNITS[m.group(2)] if m else None

    out: dict = {"p50_ms": lat("50"), "p90_ms": lat("90"), "p99_ms": lat("99")}
    m = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    out["rps"] = float(m.group(1)) if m else None
    m = re.search(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m)", text, re.M)
    out["requests"] = int(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    out["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    out["socket_errors"] = dict(zip(("connect", "read", "write", "timeout"),
                                    (int(x) for x in m.groups()))) if m else {}
    return out


def wrk(url: str, seconds: int, warmup: int, server_comm: str, out: str, name: str) -> dict:
    """A warm-up run (not kept), then the measured run with the CPU each side used."""
    base = ["wrk", "-t2", "-c64"]
    if warmup > 0:
        subprocess.run(base + [f"-d{warmup}s", url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
    busy0, per0 = cpu_snapshot()
    t0 = time.perf_counter()
    with open(os.path.join(out, f"wrk-{name}.txt"), "w") as f:
        p = spawn(base + [f"-d{seconds}s", "--latency", url], stdout=f, stderr=subprocess.STDOUT)
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        CHILDREN.remove(p)
    wall = time.perf_counter() - t0
    busy1, per1 = cpu_snapshot()
    server = sum(per1[pid] - per0[pid] for pid in per1 if pid in per0 and proc_comm(pid) == server_comm)
    ours = sum(per1[pid] - per0[pid] for pid in per1 if pid in per0)
    wrk_cpu = ru.ru_utime + ru.ru_stime
    tasks = busy1[0] - busy0[0]
    irq = busy1[1] - busy0[1]
    text = open(os.path.join(out, f"wrk-{name}.txt")).read()
    r = parse_wrk(text)
    r.update({
        "url": url, "seconds": seconds, "warmup_s": warmup, "exit": p.returncode,
        "server_cpu_cores": round(server / wall, 2),
        "wrk_cpu_cores": round(wrk_cpu / wall, 2),
        "softirq_cpu_cores": round(irq / wall, 2),
        # every other process on the machine: outside the bench's namespace (another build, tests)
        "others_cpu_cores": round(max(0.0, tasks - ours - wrk_cpu) / wall, 2),
    })
    return r


# --------------------------------------------------------------------------
# report helpers
# --------------------------------------------------------------------------

PART_NAMES = {"part_site": "3 (site)", "part_throughput": "1 (throughput)", "part_ready": "2 (start)",
              "part_busy": "4 (busy host)"}
TARGETS: list[dict] = []
NOTES: list[str] = []
BUSY: list[str] = []


def target(name: str, value: float | None, text: str, op: str, limit: float, unit: str,
           invalid: str | None = None) -> None:
    if invalid or value is None:
        verdict = f"INVALID ({invalid or 'no value'})"
    else:
        ok = {"<=": value <= limit, "<": value < limit, ">=": value >= limit}[op]
        verdict = "PASS" if ok else "MISS"
    TARGETS.append({"name": name, "value": value, "text": text,
                    "target": f"{op.replace('<=', '≤').replace('>=', '≥')} {limit:g}{unit}",
                    "verdict": verdict})


def fmt_ms(x: float | None) -> str:
    return "—" if x is None else (f"{x:.1f}" if x < 100 else f"{x:.0f}")


def load_avg() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


# --------------------------------------------------------------------------
# the parts
# --------------------------------------------------------------------------

def part_site(a, res: dict) -> None:
    print("## 3. The whole site: `portlens site`, 65,536 port pages\n")
    site = a.site
    parent = os.path.dirname(site)
    if a.reuse_site:
        print(f"Skipped (--reuse-site): the site already in `{os.path.relpath(site, a.root)}` is served as it "
              "is; no build time this run.\n")
        res["site"] = {"skipped": True}
        return
    log("building the site (all 65,536 ports; about a minute) ...")
    if os.path.exists(site):
        shutil.rmtree(site)       # a fresh build: a rebuild would also delete the old site, in its time
    subprocess.run(["sync"], check=False)
    env = portlens_env()
    t0 = time.perf_counter()
    p = subprocess.run([os.path.join(a.root, "portlens"), "site", "--out", site, "--ports", "0-65535",
                        "--lang", "en"], cwd=a.root, env=env, capture_output=True, text=True, timeout=1200)
    build_s = time.perf_counter() - t0
    summary = (p.stdout.strip().splitlines() or [""])[-1]
    if p.returncode != 0:
        print(f"**`portlens site` failed** (exit {p.returncode}): `{p.stderr.strip()[-300:]}`\n")
        res["site"] = {"exit": p.returncode, "stderr": p.stderr[-2000:]}
        target("site built", None, "—", "<=", 0, "", invalid=f"exit {p.returncode}")
        return
    du_h = subprocess.run(["du", "-sh", site], capture_output=True, text=True).stdout.split()[0]
    du_b = int(subprocess.run(["du", "-sb", site], capture_output=True, text=True).stdout.split()[0])
    files = dirs = 0
    for _, ds, fs in os.walk(site):
        files += len(fs)
        dirs += len(ds)
    subprocess.run(["sync"], check=False)   # the build's dirty pages are not the peers' to write

    log("peers: cp -r and tar of the site ...")
    copy = os.path.join(parent, "site-copy")
    tar = os.path.join(parent, "site.tar")
    for x in (copy, tar):
        if os.path.isdir(x):
            shutil.rmtree(x)
        elif os.path.exists(x):
            os.unlink(x)
    t0 = time.perf_counter()
    cp = subprocess.run(["cp", "-r", site, copy], capture_output=True, text=True)
    cp_s = time.perf_counter() - t0
    shutil.rmtree(copy, ignore_errors=True)
    subprocess.run(["sync"], check=False)
    t0 = time.perf_counter()
    tr = subprocess.run(["tar", "-C", parent, "-cf", tar, os.path.basename(site)], capture_output=True, text=True)
    tar_s = time.perf_counter() - t0
    tar_bytes = os.path.getsize(tar) if os.path.exists(tar) else 0
    if os.path.exists(tar):
        os.unlink(tar)
    subprocess.run(["sync"], check=False)

    res["site"] = {"wall_s": round(build_s, 2), "summary": summary, "du_h": du_h, "apparent_bytes": du_b,
                   "files": files, "dirs": dirs, "cp_s": round(cp_s, 2), "cp_exit": cp.returncode,
                   "tar_s": round(tar_s, 2), "tar_exit": tr.returncode, "tar_bytes": tar_bytes}
    print("| what | wall s | note |")
    print("|---|---:|---|")
    print(f"| `portlens site --out bench/target/site` | {build_s:.1f} | `{summary}` |")
    print(f"| `cp -r` of the site (peer) | {cp_s:.1f} | exit {cp.returncode}; reads from the page cache |")
    print(f"| `tar -cf site.tar` of the site (peer) | {tar_s:.1f} | exit {tr.returncode}; "
          f"{tar_bytes / 1048576:.0f} MiB archive |")
    print()
    print(f"On disk: `du -sh` {du_h} (apparent size {du_b / 1048576:.0f} MiB: 65,537 small directories "
          f"and their files, a block or two each); {files:,} files in {dirs:,} directories.\n")
    print(f"Ratios (no target): site / cp -r {build_s / cp_s:.1f}×, site / tar {build_s / tar_s:.1f}×.\n")


def part_throughput(a, res: dict) -> None:
    print(f"## 1. Throughput: wrk -t2 -c64, {a.warmup} s warm-up then {a.seconds} s, on loopback\n")
    print(f"wrk and the server share the machine's {NCPU} cores: what wrk uses is not the server's. "
          "CPU columns are cores used over the measured window (from /proc): the server's processes, wrk, "
          "the kernel's irq + softirq time (loopback traffic, charged to no process) and every other "
          "process on the machine (outside the bench: another build or test run).\n")
    rows = []
    P = a.port

    mode = os.stat(a.site).st_mode & 0o777
    if mode & 0o005 != 0o005:
        note = (f"`portlens site` left the site's own directory `{os.path.relpath(a.site, a.root)}` with mode "
                f"{mode:04o}: a web server running as another user (nginx's workers run as www-data) gets "
                f"403 Forbidden for every page. The bench opened it (chmod {mode | 0o055:04o}) to go on.")
        NOTES.append(note)
        print(f"**Note:** {note}\n")
        os.chmod(a.site, mode | 0o055)
    res["site_root_mode"] = f"{mode:04o}"

    log("nginx and portlens serve for the throughput runs ...")
    nginx = spawn(["nginx", "-c", a.nginx_conf, "-e", os.path.join(a.out, "nginx", "error.log")],
                  stdout=subprocess.DEVNULL, stderr=open(os.path.join(a.out, "nginx", "stderr.log"), "w"))
    serve = Serve(a.root, a.out, a.serve_port, "throughput")
    serve.wait_ready()
    deadline = time.monotonic() + 10
    while True:
        try:
            st_n, body_n, _ = http_get(a.nginx_port, f"/port/{P}/")
            break
        except OSError:
            if time.monotonic() > deadline or nginx.poll() is not None:
                raise RuntimeError("nginx did not start: see bench/target/nginx/")
            time.sleep(0.05)
    st_p, body_p, _ = http_get(a.serve_port, f"/port/{P}")
    st_a, body_a, _ = http_get(a.serve_port, f"/api/ports/{P}")
    same = (f"Port {P}".encode() in body_n) and (f"Port {P}".encode() in body_p)
    print(f"One GET each first: portlens `/port/{P}` {st_p}, {len(body_p):,} bytes (registry part + the live "
          f"part, nothing listening); `/api/ports/{P}` {st_a}, {len(body_a):,} bytes; nginx `/port/{P}/` "
          f"{st_n}, {len(body_n):,} bytes (the page `portlens site` wrote){'' if same else ' — **not the same page?**'}.\n")

    cases = [
        ("a", f"portlens serve `/port/{P}`", serve, f"http://127.0.0.1:{a.serve_port}/port/{P}", "java"),
        ("c", f"nginx `/port/{P}/` (site export)", None, f"http://127.0.0.1:{a.nginx_port}/port/{P}/", "nginx"),
        ("b", f"portlens serve `/api/ports/{P}`", serve, f"http://127.0.0.1:{a.serve_port}/api/ports/{P}", "java"),
    ]
    results = {}
    for key, label, _, url, comm in cases:
        log(f"wrk {label} ...")
        results[key] = wrk(url, a.seconds, a.warmup, comm, a.out, key)
        rows.append((key, label, results[key]))
    rc_serve = serve.stop()
    res["serve_exit_on_sigterm"] = rc_serve

    if a.diagnose:
        # the same server with the CLI's start-up flags, which the launcher gives every command but serve
        log("wrk portlens serve with C2 (diagnostic) ...")
        s2 = Serve(a.root, a.out, a.serve_port, "throughput-c1", java_opts="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        s2.wait_ready()
        results["d"] = wrk(f"http://127.0.0.1:{a.serve_port}/port/{P}", a.seconds, a.warmup, "java", a.out, "d")
        rows.append(("d", f"diagnostic: (a) with the CLI's start-up flags (`PORTLENS_JAVA_OPTS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC`)", results["d"]))
        s2.stop()
        # the registry part alone: with a token set, a request without it gets the page without the live
        # part and without the vote tally, and that page is made for every request (no 1-s reuse)
        log("wrk portlens serve, registry part only (diagnostic) ...")
        s3 = Serve(a.root, a.out, a.serve_port, "throughput-token", token="bench-" + os.urandom(16).hex())
        s3.wait_ready()
        st, body, _ = http_get(a.serve_port, f"/port/{P}")
        results["e"] = wrk(f"http://127.0.0.1:{a.serve_port}/port/{P}", a.seconds, a.warmup, "java", a.out, "e")
        rows.append(("e", f"diagnostic: `/port/{P}` registry part only (token set, asked without it: {st}, "
                          f"{len(body):,} bytes)", results["e"]))
        s3.stop()
    stop(nginx)

    print("| | server and URL | req/s | p50 ms | p90 ms | p99 ms | errors | server CPU | wrk CPU | softirq | others |")
    print("|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|")
    for key, label, r in rows:
        errs = sum(r["socket_errors"].values()) if r["socket_errors"] else 0
        e = "none" if not errs and not r["non_2xx"] else \
            f"{r['non_2xx']} non-2xx; socket {r['socket_errors']}"
        rps = "—" if r["rps"] is None else f"{r['rps']:,.0f}"
        print(f"| {key} | {label} | {rps} | {fmt_ms(r['p50_ms'])} | {fmt_ms(r['p90_ms'])} | "
              f"{fmt_ms(r['p99_ms'])} | {e} | {r['server_cpu_cores']:.2f} | {r['wrk_cpu_cores']:.2f} | "
              f"{r['softirq_cpu_cores']:.2f} | {r['others_cpu_cores']:.2f} |")
    print()
    print(f"`portlens serve` stopped by SIGTERM: exit {rc_serve} (expected 0).\n")
    res["throughput"] = results

    def bad(r: dict) -> str | None:
        if r["rps"] is None or r["p99_ms"] is None:
            return "wrk output not understood"
        if r["non_2xx"] or any(r["socket_errors"].values()):
            return "errors"
        return None

    for key, what in (("a", f"/port/{P}"), ("b", f"/api/ports/{P}")):
        r = results[key]
        target(f"1{key}. serve {what}: req/s", r["rps"], f"{r['rps'] or 0:,.0f} req/s", ">=", 10000, " req/s",
               bad(r))
        target(f"1{key}. serve {what}: p99", r["p99_ms"], f"{fmt_ms(r['p99_ms'])} ms", "<", 20, " ms", bad(r))
    ra, rc = results["a"], results["c"]
    ratio = ra["rps"] / rc["rps"] if ra["rps"] and rc["rps"] else None
    target(f"1. serve / nginx req/s, /port/{P}", ratio,
           "—" if ratio is None else f"{ratio:.2f}× ({ra['rps']:,.0f} / {rc['rps']:,.0f})", ">=", 0.5, "×",
           bad(ra) or bad(rc))


def part_ready(a, res: dict) -> None:
    print(f"## 2. Start: `./portlens serve` to its first 200 on `/`\n")
    print("From the launcher's start (`subprocess.Popen`) to the first HTTP 200 on `/`, polled every 10 ms "
          "on a new connection; `/` searches the registry, so its first answer includes loading it. "
          f"One warm-up start first (not counted), then {a.runs} runs. \"line seen\" is when its "
          "`portlens serve: ... (ready in N ms)` line reached stdout (seen by the same 10 ms loop); \"says\" "
          "is the N of that line (the command's own count, from its start: without the JVM's start).\n")
    runs = []
    for i in range(a.runs + 1):
        s = Serve(a.root, a.out, a.serve_port, "ready")
        ms = s.wait_ready("/", poll=0.01)
        line = s.ready_line()
        rc = s.stop()
        m = re.search(r"ready in (\d+) ms", line)
        if i > 0:
            runs.append({"ms": round(ms, 1), "line_ms": None if s.line_ms is None else round(s.line_ms, 1),
                         "says_ms": int(m.group(1)) if m else None, "exit": rc})
        time.sleep(0.3)
    ms = [r["ms"] for r in runs]
    print("| run | to first 200 (ms) | line seen (ms) | says (ms) | exit on SIGTERM |")
    print("|---:|---:|---:|---:|---:|")
    for i, r in enumerate(runs, 1):
        print(f"| {i} | {r['ms']:.0f} | {fmt_ms(r['line_ms'])} | "
              f"{r['says_ms'] if r['says_ms'] is not None else '—'} | {r['exit']} |")
    med = statistics.median(ms)
    print(f"\nmin {min(ms):.0f} ms, median {med:.0f} ms, max {max(ms):.0f} ms.\n")
    res["ready"] = {"runs": runs, "min_ms": min(ms), "median_ms": med, "max_ms": max(ms)}
    target("2. serve: start to first 200 on / (median)", med,
           f"{med:.0f} ms (min {min(ms):.0f}, max {max(ms):.0f})", "<=", 1500, " ms")


def part_busy(a, res: dict) -> None:
    L = a.live_port
    print(f"## 4. A port with a live listener on the busy host: `./portlens {L}` against a cold "
          f"`GET /port/{L}`\n")
    ready = os.path.join(a.out, "ready-web.json")
    base = os.path.join(a.out, "baseline-web.json")
    for f in (ready, base):
        if os.path.exists(f):
            os.unlink(f)
    with open(base, "w") as f:
        subprocess.run([sys.executable, os.path.join(BENCH_DIR, "load.py"), "census"], stdout=f, check=True)
    log("starting the busy host (load.py hold --scenario busy) ...")
    with open(os.path.join(a.out, "load-web.log"), "w") as lf:
        ld = spawn([sys.executable, os.path.join(BENCH_DIR, "load.py"), "hold", "--scenario", "busy",
                    "--port", str(a.port), "--ready-file", ready], stdout=lf, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 180
    while not os.path.exists(ready):
        if ld.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the busy host did not come up: " + open(os.path.join(a.out, "load-web.log")).read())
        time.sleep(0.1)
    census = subprocess.run([sys.executable, os.path.join(BENCH_DIR, "load.py"), "census", "--ready-file", ready,
                             "--baseline", base], capture_output=True, text=True)
    print(census.stdout)

    lst = spawn([sys.executable, os.path.abspath(__file__), "listen", "--port", str(L)],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    if lst.stdout.readline().strip() != "ready":
        raise RuntimeError(f"the listener on 127.0.0.1:{L} did not start")
    print(f"Plus one listener of the bench's on 127.0.0.1:{L} (python3 `http.server`, pid {lst.pid}): "
          "the probe gets an HTTP answer from it.\n")

    serve = Serve(a.root, a.out, a.serve_port, "busy")
    serve.wait_ready()
    env = portlens_env()
    cli = [os.path.join(a.root, "portlens"), str(L)]

    def run_cli() -> tuple[float, int | str]:
        t0 = time.perf_counter()
        try:
            p = subprocess.run(cli, cwd=a.root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=60)
            rc: int | str = p.returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
        return (time.perf_counter() - t0) * 1000.0, rc

    last_get = [0.0]

    def run_get() -> tuple[float, int, bytes]:
        gap = last_get[0] + 1.2 - time.monotonic()   # the server keeps an answer 1 s: wait it out
        if gap > 0:
            time.sleep(gap)
        st, body, ms = http_get(a.serve_port, f"/port/{L}", timeout=60)
        last_get[0] = time.monotonic()
        return ms, st, body

    log("warm-up: one of each, not counted ...")
    run_cli()
    _, st, body = run_get()
    live_ok = st == 200 and str(lst.pid).encode() in body
    cli_ms, get_ms, cli_rc, get_st = [], [], set(), set()
    log(f"timing {a.runs} rounds ...")
    for r in range(a.runs):
        order = ("cli", "get") if r % 2 == 0 else ("get", "cli")
        for what in order:
            if what == "cli":
                ms, rc = run_cli()
                cli_ms.append(ms)
                cli_rc.add(str(rc))
            else:
                ms, st, body = run_get()
                get_ms.append(ms)
                get_st.add(str(st))
                live_ok = live_ok and st == 200 and str(lst.pid).encode() in body
    rc_serve = serve.stop()
    stop(lst)
    stop(ld)
    log("busy host stopped")

    mc, mg = statistics.median(cli_ms), statistics.median(get_ms)
    print(f"{a.runs} rounds, alternating which goes first; one of each before, not counted. Each GET is one "
          f"request on a new connection, at least 1.2 s after the previous one (the server reuses an answer "
          f"for 1 s), to a server warmed by that first GET.\n")
    print("| command | median ms | min ms | max ms | exit / status |")
    print("|---|---:|---:|---:|---|")
    print(f"| `./portlens {L}` (launcher, probe on) | {mc:.0f} | {min(cli_ms):.0f} | {max(cli_ms):.0f} | "
          f"{','.join(sorted(cli_rc))} |")
    print(f"| `GET /port/{L}` on `portlens serve` (probe on) | {mg:.0f} | {min(get_ms):.0f} | {max(get_ms):.0f} | "
          f"{','.join(sorted(get_st))} |")
    print()
    print(f"The page names the listener's pid ({lst.pid}) every time: {'yes' if live_ok else '**no**'}. "
          f"`portlens serve` stopped by SIGTERM: exit {rc_serve}.\n")
    res["busy"] = {"cli_ms": [round(x, 1) for x in cli_ms], "get_ms": [round(x, 1) for x in get_ms],
                   "cli_exit": sorted(cli_rc), "get_status": sorted(get_st), "live_part_ok": live_ok,
                   "serve_exit_on_sigterm": rc_serve}
    invalid = None
    if not cli_rc <= {"0", "3"}:
        invalid = f"portlens {L} exit {','.join(sorted(cli_rc))}"
    elif get_st != {"200"}:
        invalid = f"GET status {','.join(sorted(get_st))}"
    elif not live_ok:
        invalid = "page without the live listener"
    target(f"4. busy host: GET /port/{L} / portlens {L} (medians)", mg / mc,
           f"{mg / mc:.2f}× ({mg:.0f} / {mc:.0f} ms)", "<=", 1.2, "×", invalid)


# --------------------------------------------------------------------------

def cmd_run(a) -> int:
    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    load._set_pdeathsig(signal.SIGTERM)
    os.makedirs(os.path.join(a.out, "results"), exist_ok=True)
    os.makedirs(os.path.join(a.out, "nginx"), exist_ok=True)
    global DATA_DIR
    DATA_DIR = os.path.join(a.out, "web-data")
    shutil.rmtree(DATA_DIR, ignore_errors=True)
    os.makedirs(DATA_DIR, mode=0o700)
    res: dict = {"date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()), "ncpu": NCPU}
    t_start = time.perf_counter()
    try:
        for part in (part_site, part_throughput, part_ready, part_busy):
            la = load_avg()
            others = Others()
            part(a, res)
            avg, peak = others.stop()
            res.setdefault("others_cores", {})[part.__name__] = {"avg": round(avg, 2), "peak": round(peak, 2)}
            print(f"_(other processes on the machine, outside the bench: {avg:.2f} cores on average, up to "
                  f"{peak:.2f}; load average before this part {la}, after {load_avg()})_\n")
            if avg > 0.2:
                BUSY.append(f"part {PART_NAMES[part.__name__]} {avg:.2f} cores on average (up to {peak:.2f})")
            sys.stdout.flush()
    finally:
        stop_all()
    res["targets"] = TARGETS
    res["total_s"] = round(time.perf_counter() - t_start, 1)
    with open(os.path.join(a.out, "results", "web.json"), "w") as f:
        json.dump(res, f, indent=1)

    if BUSY:
        NOTES.append(f"The machine was not quiet: other processes, outside the bench, used {'; '.join(BUSY)} of "
                     f"its {NCPU} cores. The numbers of those parts are worse than a quiet machine's.")
    if NOTES:
        print("## Seen on the way\n")
        for n in NOTES:
            print(f"* {n}")
        print()
    print("## Targets (issue 10)\n")
    print("| measure | value | target | result |")
    print("|---|---:|---:|---|")
    for t in TARGETS:
        print(f"| {t['name']} | {t['text']} | {t['target']} | {t['verdict']} |")
    print()
    s = res.get("site", {})
    if s.get("wall_s"):
        print(f"Site (no target): {s['wall_s']:.0f} s for 65,536 pages, {s['du_h']} on disk, {s['files']:,} files; "
              f"`cp -r` {s['cp_s']:.1f} s, `tar` {s['tar_s']:.1f} s.\n")
    print(f"Whole run: {res['total_s']:.0f} s. Raw numbers: bench/target/results/web.json; wrk's own output: "
          "bench/target/wrk-*.txt.")
    return 0 if all(t["verdict"] == "PASS" for t in TARGETS) else 1


def cmd_listen(a) -> int:
    load._set_pdeathsig(signal.SIGTERM)

    class Quiet(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"hello from the bench's live listener\n"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", a.port), Quiet)
    print("ready", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    httpd.serve_forever()
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--root", required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--site", required=True)
    r.add_argument("--nginx-conf", required=True)
    r.add_argument("--nginx-port", type=int, required=True)
    r.add_argument("--serve-port", type=int, required=True)
    r.add_argument("--port", type=int, default=3640)
    r.add_argument("--live-port", type=int, default=3700)
    r.add_argument("--runs", type=int, default=5)
    r.add_argument("--seconds", type=int, default=10)
    r.add_argument("--warmup", type=int, default=30)
    r.add_argument("--reuse-site", action="store_true")
    r.add_argument("--diagnose", action="store_true")
    li = sub.add_parser("listen")
    li.add_argument("--port", type=int, required=True)
    a = ap.parse_args()
    if a.cmd == "listen":
        return cmd_listen(a)
    try:
        return cmd_run(a)
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        print(f"web.py: the bench failed: {e}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
