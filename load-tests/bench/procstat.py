#!/usr/bin/env python3
"""/proc snapshots for the benchmark harness (standard library only, Linux).

  procstat.py snap FILE PID           Write a snapshot of every process (pid, ppid, utime+stime, start
                                      time, name) and of every thread of PID to FILE (JSON).
  procstat.py foreign A B ROOT...     CPU used between snapshots A and B by processes that are not ROOT
                                      or a descendant of a ROOT (other users of the machine), as
                                      "<percent of one CPU>\t<top processes>". Processes that started and
                                      ended between the snapshots are not seen.
  procstat.py threads A B             CPU per thread group of PID between A and B, in clock ticks:
                                      "event-loops=..\tgc=..\tjit=..\tother=..\texited=..\ttotal=..".
"""

import json
import os
import sys
import time


def _stat(path):
    with open(path, "rb") as f:
        data = f.read().decode(errors="replace")
    name = data[data.index("(") + 1:data.rindex(")")]
    rest = data[data.rindex(")") + 2:].split()
    # rest[0] is field 3 (state); utime=14, stime=15, ppid=4, starttime=22
    return int(rest[1]), int(rest[11]) + int(rest[12]), int(rest[19]), name


def snap(out, pid):
    procs = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            procs[entry] = _stat("/proc/%s/stat" % entry)
        except (OSError, ValueError, IndexError):
            pass
    threads = {}
    if pid and os.path.isdir("/proc/%s/task" % pid):
        for tid in os.listdir("/proc/%s/task" % pid):
            try:
                _, ticks, start, name = _stat("/proc/%s/task/%s/stat" % (pid, tid))
                threads[tid] = (ticks, start, name)
            except (OSError, ValueError, IndexError):
                pass
        try:
            _, total, _, _ = _stat("/proc/%s/stat" % pid)
        except OSError:
            total = 0
    else:
        total = 0
    with open(out, "w") as f:
        json.dump({"time": time.monotonic(), "procs": procs, "threads": threads, "total": total}, f)


def foreign(a_path, b_path, roots):
    with open(a_path) as f:
        a = json.load(f)
    with open(b_path) as f:
        b = json.load(f)
    procs = b["procs"]
    roots = {str(r) for r in roots if r}

    def ours(pid):
        seen = 0
        while pid in procs and seen < 64:
            if pid in roots:
                return True
            pid = str(procs[pid][0])
            seen += 1
        return pid in roots

    hz = os.sysconf("SC_CLK_TCK")
    elapsed = max(b["time"] - a["time"], 1e-3)
    used = {}
    for pid, (ppid, ticks, start, name) in procs.items():
        before = a["procs"].get(pid)
        if not before or before[2] != start or ours(pid):
            continue
        d = ticks - before[1]
        if d > 0:
            used[name] = used.get(name, 0) + d
    total = sum(used.values())
    top = sorted(used.items(), key=lambda kv: -kv[1])[:3]
    top_text = ", ".join("%s %.0f%%" % (n, 100.0 * t / hz / elapsed) for n, t in top if t / hz / elapsed >= 0.05)
    print("%.0f\t%s" % (100.0 * total / hz / elapsed, top_text or "-"))


def _group(name):
    n = name.lower()
    if n.startswith("pgmux-io") or "eventloop" in n or n.startswith("iou-"):
        return "event-loops"
    if "gc" in n or n.startswith("g1 ") or "conc#" in n or "vm thread" in n:
        return "gc"
    if "compiler" in n or n.startswith("c1 ") or n.startswith("c2 "):
        return "jit"
    return "other"


def threads(a_path, b_path):
    with open(a_path) as f:
        a = json.load(f)
    with open(b_path) as f:
        b = json.load(f)
    groups = {"event-loops": 0, "gc": 0, "jit": 0, "other": 0}
    seen = 0
    for tid, (ticks, start, name) in b["threads"].items():
        before = a["threads"].get(tid)
        base = before[0] if before and before[1] == start else 0
        groups[_group(name)] += ticks - base
        seen += ticks - base
    total = b["total"] - a["total"]
    groups["exited"] = max(total - seen, 0)
    groups["total"] = total
    print("\t".join("%s=%d" % kv for kv in groups.items()))


def main():
    cmd = sys.argv[1]
    if cmd == "snap":
        snap(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "")
    elif cmd == "foreign":
        foreign(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif cmd == "threads":
        threads(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
