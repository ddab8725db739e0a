#!/usr/bin/env python3
"""gen.py — brokerage-like meeting-scheduling instances for `duijie schedule` (deterministic).

usage: gen.py PARTICIPANTS MEETINGS SLOTS TABLES SEED > INSTANCE.json

The shape of a 对接会 (matchmaking event): a third of the participants bring achievements
(universities, institutes), the rest are companies and others looking for them; requests go mostly
from the second group to the first, chosen by a skewed popularity, so a few star projects are asked
for far more meetings than there are slots. Two sessions (am, pm) of SLOTS/2 slots each. Half the
participants cap their meetings (4..10); a fifth are unavailable for a session (arrive late, leave
early) or for a few slots (they give a roadshow). Weights: 1 (65%), 2 mutual interest (25%),
3 recommended by the organizer (10%). About 1% of meetings are fixed to a feasible slot, a third of
those to a table too. No pair is requested twice."""
import json
import random
import sys


def generate(n_part, n_meet, n_slots, tables, seed):
    rng = random.Random(seed)
    half = n_slots // 2
    slots = [{"id": f"s{i + 1}", "session": "am" if i < half else "pm"} for i in range(n_slots)]
    n_supply = max(2, n_part // 3)
    parts = []
    unav = []
    for i in range(n_part):
        p = {"id": f"p{i + 1}"}
        if rng.random() < 0.5:
            p["max_meetings"] = rng.choice([4, 6, 8, 10])
        u = set()
        r = rng.random()
        if r < 0.08:  # one whole session away
            u = set(range(0, half)) if rng.random() < 0.5 else set(range(half, n_slots))
        elif r < 0.20:  # a roadshow or two
            u = set(rng.sample(range(n_slots), rng.randint(1, 3)))
        if u:
            p["unavailable"] = [f"s{s + 1}" for s in sorted(u)]
        unav.append(u)
        parts.append(p)
    # popularity: Zipf-like among supply, activity among demand
    pop = [1.0 / (k + 1) ** 0.8 for k in range(n_supply)]
    rng.shuffle(pop)
    act = [rng.paretovariate(2.0) for _ in range(n_part - n_supply)]
    demand = list(range(n_supply, n_part))
    supply = list(range(n_supply))
    pairs = set()
    meetings = []
    tries = 0
    while len(meetings) < n_meet and tries < 50 * n_meet:
        tries += 1
        if rng.random() < 0.85:
            a = rng.choices(demand, weights=act)[0]
            b = rng.choices(supply, weights=pop)[0]
        else:  # company–company or university–university
            a, b = rng.sample(range(n_part), 2)
        key = (min(a, b), max(a, b))
        if a == b or key in pairs:
            continue
        pairs.add(key)
        r = rng.random()
        w = 1 if r < 0.65 else 2 if r < 0.90 else 3
        m = {"id": f"m{len(meetings) + 1}", "a": f"p{a + 1}", "b": f"p{b + 1}"}
        if w != 1 or rng.random() < 0.5:
            m["weight"] = w
        meetings.append((m, a, b))
    # fixed meetings: feasible by construction
    busy = set()
    fixed_count = [0] * n_slots
    tables_used = [set() for _ in range(n_slots)]
    count = [0] * n_part
    for m, a, b in meetings:
        if rng.random() >= 0.01:
            continue
        s = rng.randrange(n_slots)
        cap_ok = all(count[x] < parts[x].get("max_meetings", n_slots) for x in (a, b))
        if (s in unav[a] or s in unav[b] or (a, s) in busy or (b, s) in busy
                or fixed_count[s] >= tables or not cap_ok):
            continue
        busy.update({(a, s), (b, s)})
        fixed_count[s] += 1
        count[a] += 1
        count[b] += 1
        m["fixed"] = {"slot": f"s{s + 1}"}
        if rng.random() < 0.33:
            t = rng.randint(1, tables)
            if t not in tables_used[s]:
                tables_used[s].add(t)
                m["fixed"]["table"] = t
    return {"slots": slots, "tables": tables, "participants": parts,
            "meetings": [m for m, _, _ in meetings]}


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__.split("\n\n")[1])
    n_part, n_meet, n_slots, tables, seed = map(int, sys.argv[1:])
    json.dump(generate(n_part, n_meet, n_slots, tables, seed), sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")
