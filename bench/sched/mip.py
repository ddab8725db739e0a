#!/usr/bin/env python3
"""mip.py — the reference MIP for the meeting scheduler, solved by coinor-cbc, and an independent
checker of answers (bench only).

usage: mip.py weight INSTANCE.json SECONDS          max total weight
       mip.py gaps INSTANCE.json MIN_WEIGHT SECONDS min idle gaps with weight >= MIN_WEIGHT
       mip.py check INSTANCE.json ANSWER.json      re-checks every rule, prints weight and gaps
Prints one JSON object: {"status": "optimal"|"stopped"|"infeasible"|"error", "value": best found
(null if none), "bound": proven bound, "seconds": wall time}.

Model: binary x[m,s] for every slot s where both participants of m are available (only the fixed
slot, forced to 1, for a fixed meeting); Σ_s x[m,s] <= 1; per participant and slot Σ x <= 1; per
slot Σ x <= tables; per participant Σ x <= max_meetings. Tables are interchangeable within a slot
(fixed tables are distinct when the instance is valid), so they need no variables. Gaps: with y[p,s]
= Σ x of p's meetings in s and the slots of a session in order, u (started) and v (not yet ended)
are monotone envelopes of y, and g[p,s] >= u + v - 1 - y counts the empty slots inside the span;
minimizing Σ g makes them exact."""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict


def load(path):
    with open(path) as f:
        inst = json.load(f)
    slots = [s["id"] for s in inst["slots"]]
    sidx = {s: i for i, s in enumerate(slots)}
    sess = [s.get("session", "") for s in inst["slots"]]
    parts = {p["id"]: p for p in inst["participants"]}
    unav = {p["id"]: {sidx[s] for s in p.get("unavailable", [])} for p in inst["participants"]}
    return inst, slots, sidx, sess, parts, unav


def variables(inst, slots, sidx, unav):
    xs = {}  # (m index, s) -> name
    fixed = []
    for i, m in enumerate(inst["meetings"]):
        fx = m.get("fixed")
        cand = [sidx[fx["slot"]]] if fx else range(len(slots))
        for s in cand:
            if s in unav[m["a"]] or s in unav[m["b"]]:
                continue
            xs[(i, s)] = f"x{i}_{s}"
            if fx:
                fixed.append(xs[(i, s)])
    return xs, fixed


def terms(coef_names):
    out, line = [], []
    for c, n in coef_names:
        line.append(f"{'+' if c >= 0 else '-'} {abs(c):g} {n}")
        if len(line) == 8:
            out.append(" ".join(line))
            line = []
    if line:
        out.append(" ".join(line))
    return "\n   ".join(out) if out else "0 dummy"


def write_model(path, inst, slots, sess, parts, unav, sidx, mode, min_weight=None):
    xs, fixed = variables(inst, slots, sidx, unav)
    meets = inst["meetings"]
    by_m = defaultdict(list)
    by_ps = defaultdict(list)
    by_s = defaultdict(list)
    by_p = defaultdict(list)
    for (i, s), n in xs.items():
        by_m[i].append(n)
        by_s[s].append(n)
        for p in (meets[i]["a"], meets[i]["b"]):
            by_ps[(p, s)].append(n)
            by_p[p].append(n)
    weight_terms = [(float(meets[i].get("weight", 1)), n) for (i, s), n in xs.items()]
    cons = []
    gvars, cvars = [], []
    if mode == "weight":
        obj = "Minimize\n obj: " + terms([(-c, n) for c, n in weight_terms])
    else:
        sess_slots = defaultdict(list)
        for s, x in enumerate(sess):
            sess_slots[x].append(s)
        for pi, p in enumerate(parts):
            if not by_p[p]:
                continue
            for x, ss in sess_slots.items():
                if len(ss) < 3:
                    continue
                for k, s in enumerate(ss):
                    u, v, g = f"u_{pi}_{s}", f"v_{pi}_{s}", f"g_{pi}_{s}"
                    cvars += [u, v]
                    gvars.append(g)
                    y = [(1, n) for n in by_ps[(p, s)]]
                    cons.append(terms([(1, u)] + [(-c, n) for c, n in y]) + " >= 0")
                    cons.append(terms([(1, v)] + [(-c, n) for c, n in y]) + " >= 0")
                    if k > 0:
                        cons.append(f"u_{pi}_{s} - u_{pi}_{ss[k - 1]} >= 0")
                    if k + 1 < len(ss):
                        cons.append(f"v_{pi}_{s} - v_{pi}_{ss[k + 1]} >= 0")
                    cons.append(terms([(1, g), (-1, u), (-1, v)] + y) + " >= -1")
        obj = "Minimize\n obj: " + terms([(1, g) for g in gvars])
        cons.append(terms(weight_terms) + f" >= {min_weight:g}")
    for i, ns in by_m.items():
        if len(ns) > 1:
            cons.append(terms([(1, n) for n in ns]) + " <= 1")
    for ns in by_ps.values():
        if len(ns) > 1:
            cons.append(terms([(1, n) for n in ns]) + " <= 1")
    for ns in by_s.values():
        if len(ns) > inst["tables"]:
            cons.append(terms([(1, n) for n in ns]) + f" <= {inst['tables']}")
    for p, ns in by_p.items():
        mx = parts[p].get("max_meetings")
        if mx is not None and len(ns) > mx:
            cons.append(terms([(1, n) for n in ns]) + f" <= {mx}")
    with open(path, "w") as f:
        f.write(obj + "\nSubject To\n")
        for k, c in enumerate(cons):
            f.write(f" c{k}: {c}\n")
        f.write("Bounds\n")
        for n in fixed:
            f.write(f" {n} = 1\n")
        for n in cvars:
            f.write(f" 0 <= {n} <= 1\n")
        f.write("Binaries\n")
        for n in xs.values():
            f.write(f" {n}\n")
        f.write("End\n")


def solve(model, seconds, sign):
    sol = model + ".sol"
    t0 = time.time()
    r = subprocess.run(["cbc", model, "-sec", str(seconds), "-solve", "-solu", sol],
                       capture_output=True, text=True)
    secs = time.time() - t0
    out = r.stdout
    res = {"status": "error", "value": None, "bound": None, "seconds": round(secs, 2)}
    m = re.search(r"^Result - (.*)$", out, re.M)
    if not m:
        res["detail"] = out[-300:]
        return res
    what = m.group(1).lower()
    res["status"] = ("optimal" if "optimal" in what else
                     "infeasible" if "infeasible" in what else "stopped")
    ov = re.search(r"^Objective value:\s+(\S+)", out, re.M)
    lb = re.search(r"^Lower bound:\s+(\S+)", out, re.M)
    if ov and "no integer" not in out.lower():
        res["value"] = sign * float(ov.group(1))
    if res["status"] == "optimal" and res["value"] is not None:
        res["bound"] = res["value"]
    elif lb:
        res["bound"] = sign * float(lb.group(1))
    return res


def check(inst_path, ans_path):
    inst, slots, sidx, sess, parts, unav = load(inst_path)
    with open(ans_path) as f:
        ans = json.load(f)
    meets = {m["id"]: m for m in inst["meetings"]}
    seen = set()
    busy = {}
    cells = set()
    count = defaultdict(int)
    weight = 0.0

    def bad(msg):
        print(json.dumps({"valid": False, "error": msg}))
        sys.exit(0)

    for a in ans["assignments"]:
        m, s, t = meets.get(a["meeting"]), a["slot"], a["table"]
        if m is None or s not in sidx or a["meeting"] in seen:
            bad(f"bad or repeated assignment {a}")
        seen.add(a["meeting"])
        si = sidx[s]
        fx = m.get("fixed")
        if fx and (fx["slot"] != s or fx.get("table", t) != t):
            bad(f"fixed meeting {m['id']} moved")
        if not 1 <= t <= inst["tables"] or (si, t) in cells:
            bad(f"table {t} of slot {s}")
        cells.add((si, t))
        for p in (m["a"], m["b"]):
            if si in unav[p] or (p, si) in busy:
                bad(f"participant {p} in slot {s}")
            busy[(p, si)] = m["id"]
            count[p] += 1
            if count[p] > parts[p].get("max_meetings", 1 << 30):
                bad(f"participant {p} over max_meetings")
        weight += float(m.get("weight", 1))
    for u in ans["unscheduled"]:
        if u not in meets or u in seen:
            bad(f"bad or repeated unscheduled {u}")
        if meets[u].get("fixed"):
            bad(f"fixed meeting {u} unscheduled")
        seen.add(u)
    if len(seen) != len(meets):
        bad("some meetings are missing")
    gaps = 0
    order = defaultdict(list)
    for s, x in enumerate(sess):
        order[x].append(s)
    for p in parts:
        for ss in order.values():
            ks = [k for k, s in enumerate(ss) if (p, s) in busy]
            if ks:
                gaps += ks[-1] - ks[0] + 1 - len(ks)
    print(json.dumps({"valid": True, "weight": weight, "gaps": gaps,
                      "scheduled": len(ans["assignments"])}))


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__.split("\n\n")[1])
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "check":
        return check(path, sys.argv[3])
    inst, slots, sidx, sess, parts, unav = load(path)
    with tempfile.TemporaryDirectory() as d:
        model = os.path.join(d, "model.lp")
        if mode == "weight":
            write_model(model, inst, slots, sess, parts, unav, sidx, "weight")
            res = solve(model, int(sys.argv[3]), -1)
        else:
            write_model(model, inst, slots, sess, parts, unav, sidx, "gaps", float(sys.argv[3]))
            res = solve(model, int(sys.argv[4]), 1)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
