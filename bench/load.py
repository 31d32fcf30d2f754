#!/usr/bin/env python3
"""portlens benchmark helper (python3 >= 3.11, stdlib only).

Two sub-commands:

  load.py hold --scenario busy|light [--port P] [--ready-file F] ...
      Builds a synthetic "host" on loopback only (127.0.0.1 / ::1): forks
      worker processes that each hold their share of listening TCP sockets,
      bound UDP sockets and idle established TCP connections. Prints READY
      (and writes --ready-file as JSON) once every worker is set up, then
      stays up until SIGTERM/SIGINT/SIGHUP or until its parent exits; on the
      way out it kills and reaps every worker.

  load.py time --label NAME --runs N -- CMD1 ::: CMD2 ::: ...
      Times commands round-robin with time.perf_counter around
      subprocess.run (stdout/stderr to /dev/null) and prints JSON.

  load.py census [--ready-file F --baseline B]
      Counts listening/UDP/established sockets with ss and the socket fds the
      workers really hold (/proc/PID/fd); without --ready-file prints a JSON
      baseline.

  load.py report RESULT.json [RESULT.json ...]
      Prints markdown tables (per scenario) with medians, minimums, ratios
      against the targets and PASS/MISS.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import resource
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

PR_SET_PDEATHSIG = 1


# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------

def _set_pdeathsig(sig: int) -> bool:
    """Ask the kernel to send `sig` to us when our parent dies (Linux only)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except Exception:
        return False


def _raise_nofile() -> tuple[int, int]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft, hard


def _ipv6_loopback_ok() -> bool:
    try:
        s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        try:
            s.bind(("::1", 0))
        finally:
            s.close()
        return True
    except OSError:
        return False


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _ephemeral_range() -> tuple[int, int]:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            lo, hi = (int(x) for x in f.read().split())
        return lo, hi
    except (OSError, ValueError):
        return 32768, 60999


# --------------------------------------------------------------------------
# worker
# --------------------------------------------------------------------------

class Plan:
    """What one worker holds."""

    def __init__(self, idx: int, listeners: int, udp: int, conns: int,
                 target_port: int | None, v6: bool):
        self.idx = idx
        self.listeners = listeners      # total TCP listeners incl. target & conn listener
        self.udp = udp
        self.conns = conns              # established connections (2 fds each)
        self.target_port = target_port  # this worker listens on the known port
        self.v6 = v6                    # spread some sockets onto ::1
        self.files = 0                  # extra descriptors on /dev/null (not sockets)


def _worker(plan: Plan, report_fd: int, parent_pid: int) -> None:
    # Plain default signal behaviour in workers: TERM/INT/HUP kill them.
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)
    have_pdeathsig = _set_pdeathsig(signal.SIGKILL)
    if os.getppid() != parent_pid:      # parent already gone before prctl
        os._exit(0)

    held: list[socket.socket] = []      # keep references: sockets stay open
    files: list[int] = []
    try:
        _raise_nofile()
        n_listen = plan.listeners
        # 1. the known target port (IPv4 loopback)
        if plan.target_port is not None:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", plan.target_port))
            s.listen(16)
            held.append(s)
            n_listen -= 1
        # 2. established connections: a listener of our own accepts them
        if plan.conns > 0:
            srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            srv.bind(("127.0.0.1", 0))
            srv.listen(plan.conns + 16)
            held.append(srv)
            n_listen -= 1
            addr = srv.getsockname()
            pending = []
            for _ in range(plan.conns):
                c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                # abortive close (RST) on exit: no TIME_WAIT left behind
                c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             b"\x01\x00\x00\x00\x00\x00\x00\x00")
                c.connect(addr)
                pending.append(c)
            for c in pending:
                a, _ = srv.accept()
                a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             b"\x01\x00\x00\x00\x00\x00\x00\x00")
                held.append(c)
                held.append(a)
        # 3. the remaining listeners on kernel-chosen ports (every 5th on ::1)
        for i in range(max(0, n_listen)):
            if plan.v6 and i % 5 == 4:
                s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
                s.bind(("::1", 0))
            else:
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.bind(("127.0.0.1", 0))
            s.listen(8)
            held.append(s)
        # 4. bound UDP sockets (every 5th on ::1)
        for i in range(plan.udp):
            if plan.v6 and i % 5 == 4:
                u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
                u.bind(("::1", 0))
            else:
                u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                u.bind(("127.0.0.1", 0))
            held.append(u)
        # 5. plain files: descriptors every owner scan reads and skips
        for _ in range(plan.files):
            files.append(os.open("/dev/null", os.O_RDONLY))
    except OSError as e:
        os.write(report_fd, f"ERR {plan.idx} {e.__class__.__name__}: {e}\n".encode())
        os._exit(1)

    os.write(report_fd, f"OK {plan.idx} {len(held) + len(files)}\n".encode())
    os.close(report_fd)

    # Stay idle. With PDEATHSIG we die with the parent; otherwise poll slowly.
    while True:
        if have_pdeathsig:
            signal.pause()
        else:
            time.sleep(2.0)
            if os.getppid() != parent_pid:
                os._exit(0)


# --------------------------------------------------------------------------
# hold: the load generator
# --------------------------------------------------------------------------

def _plans(args, v6: bool) -> tuple[list[Plan], dict]:
    notes = []
    procs = args.procs
    if args.scenario == "busy":
        listeners, udp, conns = args.listeners, args.udp, args.conns
        active = procs
    else:  # light: `listeners` spread one per process, the rest just sleep
        listeners, udp, conns = args.listeners, 0, 0
        active = min(procs, listeners)

    # ephemeral ports: kernel-chosen listeners + client ends of connections
    lo, hi = _ephemeral_range()
    span = hi - lo + 1
    if listeners + conns > 0.85 * span and conns > 0:
        new = max(0, min(conns, int(0.85 * span) - listeners))
        notes.append(f"ephemeral port range {lo}-{hi} too small: "
                     f"connections reduced {conns} -> {new}")
        conns = new

    # per-process fd limit (hard limit is what workers can raise to)
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    hard = hard if hard != resource.RLIM_INFINITY else 1 << 20
    l_split = _split(listeners, active)
    u_split = _split(udp, active)
    c_split = _split(conns, active)
    need = max(l + u + 2 * c for l, u, c in zip(l_split, u_split, c_split)) + 32 + args.files
    if need > hard:
        half = conns // 2
        notes.append(f"per-process fd need {need} > hard RLIMIT_NOFILE {hard}: "
                     f"connections reduced {conns} -> {half}")
        conns = half
        c_split = _split(conns, active)
        need = max(l + u + 2 * c for l, u, c in zip(l_split, u_split, c_split)) + 32 + args.files
        if need > hard:
            raise SystemExit(f"load.py: per-process fd need {need} exceeds hard "
                             f"limit {hard}; use more --procs")

    plans = []
    target = args.target_worker if args.target_worker >= 0 else active - 1
    if not 0 <= target < active:
        raise SystemExit(f"load.py: --target-worker {args.target_worker}: expected 0-{active - 1} "
                         f"(or -1, the last worker with sockets)")
    for i in range(procs):
        if i < active:
            plans.append(Plan(i, l_split[i], u_split[i], c_split[i],
                              args.port if i == target else None, v6))
        else:
            plans.append(Plan(i, 0, 0, 0, None, v6))
        plans[-1].files = args.files
    # conn listeners count as listeners; make sure a worker with connections
    # has at least 2 listener slots when it also holds the target port
    for p in plans:
        minimum = (1 if p.target_port is not None else 0) + (1 if p.conns else 0)
        if p.listeners < minimum:
            p.listeners = minimum
    intended = {
        "processes": procs,
        "tcp_listeners": sum(p.listeners for p in plans),
        "udp_sockets": sum(p.udp for p in plans),
        "tcp_connections": sum(p.conns for p in plans),
        "files": sum(p.files for p in plans),
        "max_fds_per_worker": need,
        "nofile_hard": hard,
        "ipv6_loopback": v6,
        "notes": notes,
    }
    return plans, intended


def cmd_hold(args) -> int:
    parent_pid = os.getppid()
    v6 = (not args.no_ipv6) and _ipv6_loopback_ok()
    plans, intended = _plans(args, v6)

    children: list[int] = []
    stopping = False

    def cleanup(code: int) -> None:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5.0
        alive = set(children)
        while alive and time.monotonic() < deadline:
            for pid in list(alive):
                try:
                    done, _ = os.waitpid(pid, os.WNOHANG)
                    if done:
                        alive.discard(pid)
                except ChildProcessError:
                    alive.discard(pid)
            if alive:
                time.sleep(0.02)
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        if args.ready_file:
            try:
                os.unlink(args.ready_file)
            except FileNotFoundError:
                pass
        os._exit(code)

    def on_signal(signum, _frame):
        nonlocal stopping
        if not stopping:
            stopping = True
            cleanup(0)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    _set_pdeathsig(signal.SIGTERM)
    if os.getppid() != parent_pid:
        return 0

    rfd, wfd = os.pipe()
    t0 = time.perf_counter()
    for plan in plans:
        pid = os.fork()
        if pid == 0:
            os.close(rfd)
            try:
                _worker(plan, wfd, os.getppid())
            finally:
                os._exit(1)
        children.append(pid)
    os.close(wfd)

    # collect one line per worker
    buf = b""
    ok = 0
    fds_held = 0
    errors = []
    deadline = time.monotonic() + args.timeout
    os.set_blocking(rfd, False)
    while ok + len(errors) < len(plans):
        if time.monotonic() > deadline:
            errors.append(f"timeout after {args.timeout}s "
                          f"({ok}/{len(plans)} workers ready)")
            break
        try:
            chunk = os.read(rfd, 65536)
        except BlockingIOError:
            time.sleep(0.01)
            continue
        if not chunk:               # all writers gone
            if ok + len(errors) < len(plans):
                errors.append(f"workers exited early ({ok}/{len(plans)} ready)")
            break
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            parts = line.decode().split(" ", 2)
            if parts[0] == "OK":
                ok += 1
                fds_held += int(parts[2])
            else:
                errors.append(line.decode())
    os.close(rfd)
    setup_s = time.perf_counter() - t0

    if errors:
        for e in errors[:10]:
            print(f"load.py: worker failed: {e}", file=sys.stderr)
        cleanup(1)

    info = dict(intended)
    info.update({
        "scenario": args.scenario,
        "target_port": args.port,
        "pid": os.getpid(),
        "worker_pids": children,
        "socket_fds_held": fds_held,
        "setup_seconds": round(setup_s, 3),
    })
    if args.ready_file:
        tmp = args.ready_file + ".tmp"
        with open(tmp, "w") as f:
            json.dump(info, f)
        os.replace(tmp, args.ready_file)
    print("READY", flush=True)

    # stay up until signalled or orphaned; reap anything that dies
    while True:
        time.sleep(1.0)
        if os.getppid() != parent_pid:
            cleanup(0)
        try:
            while True:
                pid, _ = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
        except ChildProcessError:
            pass


# --------------------------------------------------------------------------
# time: round-robin timing
# --------------------------------------------------------------------------

def cmd_time(args) -> int:
    # commands: NAME=CMD pairs
    cmds = []
    for spec in args.commands:
        name, _, cmd = spec.partition("=")
        cmds.append((name, shlex.split(cmd), cmd))
    env = dict(os.environ)
    env["PORTLENS_NO_BUILD"] = "1"

    # On TERM/HUP (or when run.sh dies) leave at once; subprocess.run kills
    # the command being timed when an exception interrupts it.
    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    _set_pdeathsig(signal.SIGTERM)

    def run_once(argv):
        if args.pause > 0:
            time.sleep(args.pause)      # let the previous command's aftermath settle
        # Not subprocess.run(timeout=...): a wait with a timeout polls, sleeping up to 50 ms between
        # looks, which rounds every time up to the next poll. A blocking wait, and a timer that
        # kills the command if it overstays.
        t0 = time.perf_counter()
        try:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL,
                                 env=env, cwd=args.cwd)
        except OSError as e:
            return (time.perf_counter() - t0) * 1000.0, f"oserror: {e.strerror}"
        expired = threading.Event()

        def overstayed():
            expired.set()
            p.kill()
        timer = threading.Timer(args.timeout, overstayed)
        timer.daemon = True
        timer.start()
        try:
            rc = p.wait()
        finally:
            timer.cancel()
        ms = (time.perf_counter() - t0) * 1000.0
        return ms, ("timeout" if expired.is_set() else rc)

    samples = {name: [] for name, _, _ in cmds}
    rcs = {name: set() for name, _, _ in cmds}
    # warm-up: one untimed run of each (page cache, CDS archive, etc.)
    for name, argv, _ in cmds:
        for _ in range(args.warmup):
            _, rc = run_once(argv)
            rcs[name].add(rc)
    n = len(cmds)
    for r in range(args.runs):
        # round-robin, starting position rotates each round
        for k in range(n):
            name, argv, _ = cmds[(r + k) % n]
            ms, rc = run_once(argv)
            samples[name].append(ms)
            rcs[name].add(rc)
    out = {
        "label": args.label,
        "runs": args.runs,
        "warmup": args.warmup,
        "pause_s": args.pause,
        "commands": [
            {
                "name": name,
                "cmd": cmdline,
                "samples_ms": [round(x, 3) for x in samples[name]],
                "median_ms": round(statistics.median(samples[name]), 3),
                "min_ms": round(min(samples[name]), 3),
                "exit_codes": sorted(str(x) for x in rcs[name]),
            }
            for name, _, cmdline in cmds
        ],
    }
    if args.extra:
        with open(args.extra) as f:
            out["load"] = json.load(f)
    if args.output:
        with open(args.output, "w") as f:
            json.dump(out, f, indent=1)
    else:
        json.dump(out, sys.stdout, indent=1)
    return 0


# --------------------------------------------------------------------------
# report: markdown tables
# --------------------------------------------------------------------------

# (numerator, denominator, target or None) per scenario
RATIOS = [
    ("portlens ls", "ss -ltnup", {"busy": 1.0}),
    # issue 11: a listener that accepts and never speaks, with the probes
    ("portlens SILENT", "lsof -nP -i :SILENT", {"busy": 0.5}),
    ("portlens SILENT", "portlens SILENT --no-probe", {}),
    ("portlens PORT", "lsof -nP -i :PORT", {"busy": 0.3}),
    ("portlens PORT", "hello JVM", {"light": 1.3}),
    # issue 9: an audit against the host's own baseline costs little more than listing
    ("portlens audit", "portlens ls", {"busy": 1.2}),
    # with PORTLENS_BASELINE: this build against another one, in the same rounds
    ("portlens ls", "baseline ls", {}),
    ("portlens PORT", "baseline PORT", {}),
]


# Exit codes that still mean "the command did its job". portlens documents
# 3 as "partial answer" (some socket owners hidden or gone, e.g. a process
# whose fds even root may not read); the work was done, so it is timed as
# valid, with a note.
OK_EXITS = {"portlens ls": {"0", "3"}, "portlens PORT": {"0", "3"},
            "portlens SILENT": {"0", "3"}, "portlens SILENT --no-probe": {"0", "3"},
            "portlens audit": {"0", "1", "3"},
            "baseline ls": {"0", "3"}, "baseline PORT": {"0", "3"}}


def cmd_report(args) -> int:
    any_miss = False
    for path in args.results:
        with open(path) as f:
            res = json.load(f)
        label = res["label"]
        by = {c["name"]: c for c in res["commands"]}
        print(f"### Scenario: {label}  ({res['runs']} timed runs per command, "
              f"{res['warmup']} warm-up, round-robin)\n")
        print("| command | median ms | min ms | exit |")
        print("|---|---:|---:|---|")
        for c in res["commands"]:
            print(f"| `{c['cmd']}` | {c['median_ms']:.1f} | {c['min_ms']:.1f} | "
                  f"{','.join(c['exit_codes'])} |")
        print()
        print("| ratio (medians) | value | target | result |")
        print("|---|---:|---:|---|")
        for num, den, targets in RATIOS:
            if num not in by or den not in by:
                continue
            a, b = by[num], by[den]
            ratio = a["median_ms"] / b["median_ms"] if b["median_ms"] else float("inf")
            tgt = targets.get(label)
            if tgt is None:
                verdict, tgt_s = "(no target)", "—"
            else:
                tgt_s = f"≤ {tgt:.1f}×"
                bad = [c["name"] for c in (a, b)
                       if not set(c["exit_codes"]) <= OK_EXITS.get(c["name"], {"0"})]
                if bad:
                    verdict = f"INVALID (non-zero exit: {', '.join(bad)})"
                    any_miss = True
                elif ratio <= tgt:
                    verdict = "PASS"
                else:
                    verdict = "MISS"
                    any_miss = True
            print(f"| {num} / {den} | {ratio:.2f}× | {tgt_s} | {verdict} |")
        # issue 11, light host: the probes of a silent listener cost at most 250 ms over the
        # answer without them (1.2 x plus 250 ms), and the whole answer at most half a second
        if label == "light" and "portlens SILENT" in by and "portlens SILENT --no-probe" in by:
            probed = by["portlens SILENT"]["median_ms"]
            bare = by["portlens SILENT --no-probe"]["median_ms"]
            limit = 1.2 * bare + 250
            for what, value, bound in (("≤ 500 ms", probed, 500.0),
                                       (f"≤ 1.2 × no-probe + 250 ms = {limit:.0f} ms", probed, limit)):
                ok = value <= bound
                any_miss = any_miss or not ok
                print(f"| portlens SILENT {what} | {value:.0f} ms | {what} | {'PASS' if ok else 'MISS'} |")
        print()
        if any("3" in by[n]["exit_codes"] for n in OK_EXITS if n in by):
            print("Note: portlens exited 3 (\"partial answer\": some socket owners "
                  "hidden or unreadable); counted as a valid run.\n")
    return 1 if any_miss else 0


# --------------------------------------------------------------------------
# census: count what actually exists (ss + /proc)
# --------------------------------------------------------------------------

def _ss_count(*ss_args: str) -> int | None:
    try:
        p = subprocess.run(["ss", "-H", *ss_args], capture_output=True,
                           text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return sum(1 for line in p.stdout.splitlines() if line.strip())


def _census_numbers(ready: dict | None) -> dict:
    n = {
        "tcp LISTEN (ss -ltnH)": _ss_count("-ltn"),
        "udp sockets (ss -uanH)": _ss_count("-uan"),
        "tcp ESTABLISHED ends (ss -tnH state established)":
            _ss_count("-tn", "state", "established"),
        "tcp all states (ss -tanH)": _ss_count("-tan"),
    }
    try:
        n["processes (ps)"] = sum(1 for d in os.listdir("/proc") if d.isdigit())
    except OSError:
        n["processes (ps)"] = None
    if ready:
        alive = 0
        sock_fds = 0
        for pid in ready.get("worker_pids", []):
            try:
                fds = os.listdir(f"/proc/{pid}/fd")
            except OSError:
                continue
            alive += 1
            for fd in fds:
                try:
                    if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"):
                        sock_fds += 1
                except OSError:
                    pass
        n["load workers alive"] = alive
        n["socket fds held by workers"] = sock_fds
    return n


def cmd_census(args) -> int:
    if args.ready_file:
        with open(args.ready_file) as f:
            ready = json.load(f)
        before = {}
        if args.baseline:
            with open(args.baseline) as f:
                before = json.load(f)
        now = _census_numbers(ready)
        intended = {
            "tcp LISTEN (ss -ltnH)": ready["tcp_listeners"],
            "udp sockets (ss -uanH)": ready["udp_sockets"],
            "tcp ESTABLISHED ends (ss -tnH state established)":
                2 * ready["tcp_connections"],
            "processes (ps)": ready["processes"] + 1,
            "load workers alive": ready["processes"],
            "socket fds held by workers": ready["socket_fds_held"],
        }
        print(f"Load: scenario `{ready['scenario']}`, {ready['processes']} worker "
              f"processes, {ready['tcp_listeners']} TCP listeners (incl. "
              f"127.0.0.1:{ready['target_port']}), {ready['udp_sockets']} UDP "
              f"sockets, {ready['tcp_connections']} established loopback "
              f"connections (= {2 * ready['tcp_connections']} fds, both ends); "
              f"IPv6 loopback used: {'yes' if ready['ipv6_loopback'] else 'no'}; "
              f"set up in {ready['setup_seconds']:.1f} s; max fds per worker "
              f"{ready['max_fds_per_worker']} (hard RLIMIT_NOFILE "
              f"{ready['nofile_hard']}).")
        for note in ready.get("notes", []):
            print(f"\n**Note:** {note}")
        print()
        print("| count | before load | with load | created | intended |")
        print("|---|---:|---:|---:|---:|")
        for k, v in now.items():
            b = before.get(k)
            created = (v - b) if (v is not None and b is not None) else None
            fmt = lambda x: "—" if x is None else str(x)
            print(f"| {k} | {fmt(b)} | {fmt(v)} | {fmt(created)} | "
                  f"{fmt(intended.get(k))} |")
        print()
    else:
        json.dump(_census_numbers(None), sys.stdout)
    return 0


def cmd_silent(args) -> int:
    """Accepts every connection on 127.0.0.1:PORT and never writes; closes what the client closes."""
    import selectors
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.port))
    srv.listen(128)
    sel = selectors.DefaultSelector()
    sel.register(srv, selectors.EVENT_READ)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    while True:
        for key, _ in sel.select():
            if key.fileobj is srv:
                c, _ = srv.accept()
                sel.register(c, selectors.EVENT_READ)
            else:
                c = key.fileobj
                try:
                    data = c.recv(65536)    # read and drop: a server that listens but never answers
                except OSError:
                    data = b""
                if not data:
                    sel.unregister(c)
                    c.close()


# --------------------------------------------------------------------------

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    h = sub.add_parser("hold", help="hold a synthetic socket load until killed")
    h.add_argument("--scenario", choices=["busy", "light"], required=True)
    h.add_argument("--port", type=int, default=3640)
    h.add_argument("--procs", type=int, default=None)
    h.add_argument("--listeners", type=int, default=None)
    h.add_argument("--udp", type=int, default=None)
    h.add_argument("--conns", type=int, default=None)
    h.add_argument("--no-ipv6", action="store_true")
    h.add_argument("--files", type=int, default=0,
                   help="descriptors on /dev/null each worker holds besides its sockets")
    h.add_argument("--target-worker", type=int, default=0,
                   help="which worker listens on --port (-1: the last one with sockets)")
    h.add_argument("--ready-file")
    h.add_argument("--timeout", type=float, default=120.0,
                   help="seconds to wait for all workers to be ready")

    t = sub.add_parser("time", help="time commands round-robin")
    t.add_argument("--label", required=True)
    t.add_argument("--runs", type=int, default=7)
    t.add_argument("--warmup", type=int, default=1)
    t.add_argument("--timeout", type=float, default=60.0)
    t.add_argument("--pause", type=float, default=0.0,
                   help="seconds to sleep before each run (not timed)")
    t.add_argument("--cwd")
    t.add_argument("--output")
    t.add_argument("--extra", help="JSON file (load info) to embed")
    t.add_argument("commands", nargs="+", help="NAME=COMMAND LINE")

    r = sub.add_parser("report", help="markdown tables from time results")
    r.add_argument("results", nargs="+")

    c = sub.add_parser("census", help="count sockets/processes (ss, /proc)")
    c.add_argument("--ready-file", help="load.py hold ready file (JSON)")
    c.add_argument("--baseline", help="JSON from a census without --ready-file")

    q = sub.add_parser("silent", help="a listener that accepts and never speaks")
    q.add_argument("--port", type=int, required=True)

    args = ap.parse_args()
    if args.cmd == "silent":
        return cmd_silent(args)
    if args.cmd == "hold":
        defaults = {"busy": (200, 5000, 1000, 10000), "light": (50, 20, 0, 0)}
        dp, dl, du, dc = defaults[args.scenario]
        args.procs = args.procs if args.procs is not None else dp
        args.listeners = args.listeners if args.listeners is not None else dl
        args.udp = args.udp if args.udp is not None else du
        args.conns = args.conns if args.conns is not None else dc
        if args.procs < 1:
            ap.error("--procs must be >= 1")
        return cmd_hold(args)
    if args.cmd == "time":
        return cmd_time(args)
    if args.cmd == "census":
        return cmd_census(args)
    return cmd_report(args)


if __name__ == "__main__":
    sys.exit(main())
