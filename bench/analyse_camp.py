"""Where the camp-list linkage goes wrong: errors by source pair and kind, and how many
kunya-only messages no method could place.

    python analyse_camp.py CLUSTERS.csv --households 600 --seed 3 [--legacy] [--examples N]

It regenerates the same story as `generate_camp.py` (same households and seed) to know
who every record is, who is whose mother and which child a kunya names, then prints:

1. pairwise precision, recall and F1 (as `evaluate.py clusters`);
2. missed pairs (same person, not linked) by source pair and role (mother, child);
3. false pairs (linked, different people) by source pair and relation: mother and her
   own child, siblings, a message put with the wrong mother, or unrelated people;
4. the kunya oracle: messages that fit more than one listed mother even knowing every
   fact of the story (a mother whose eldest child has that name — any child in the
   `--legacy` data, whose kunyas named the first child drawn — in the place and of the
   nationality the message gives, when it gives them), how each kind of message fared,
   and the F1 a linkage perfect on everything else would reach with those messages left
   unlinked: the upper bound beside the measured F1.
"""

import argparse
import csv
import json
import os
import sys
from collections import Counter, defaultdict
from itertools import combinations

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from evaluate import prf  # noqa: E402
from generate_camp import generate  # noqa: E402


def pid_of(record_id):
    return int(record_id.split("-")[1])


def pair_f1(cluster_of, ids):
    """Pairwise precision, recall and F1 of a clustering against the person ids."""
    c2 = lambda n: n * (n - 1) // 2
    by_cluster = Counter(cluster_of[i] for i in ids)
    by_person = Counter(pid_of(i) for i in ids)
    both = Counter((cluster_of[i], pid_of(i)) for i in ids)
    return prf(sum(c2(n) for n in both.values()), sum(c2(n) for n in by_cluster.values()),
               sum(c2(n) for n in by_person.values()))


def role(person):
    return "mother" if person["children"] else "child"


def relation(a, b, mother_of):
    """How two different people are related, for false pairs."""
    if mother_of.get(a["pid"]) == b["pid"] or mother_of.get(b["pid"]) == a["pid"]:
        return "mother and own child"
    if a["h"] == b["h"]:
        return "siblings"
    return f"unrelated {'-'.join(sorted((role(a), role(b))))}"


def source_pair(x, y):
    return "-".join(sorted((x.rsplit("-", 1)[1], y.rsplit("-", 1)[1])))


def errors(rows, cluster_of, people, examples):
    """Missed and false pairs by kind, with a few examples of each."""
    mother_of = {c["pid"]: p["pid"] for p in people for c in p["children"]}
    by_id = {r["id"]: r for r in rows}
    missed, false = Counter(), Counter()
    seen = defaultdict(list)
    by_person = defaultdict(list)
    for r in rows:
        by_person[pid_of(r["id"])].append(r["id"])
    for pid, ids in by_person.items():
        for x, y in combinations(sorted(ids), 2):
            if cluster_of[x] != cluster_of[y]:
                kind = ("missed", source_pair(x, y), role(people[pid]))
                missed[kind[1:]] += 1
                seen[kind].append((x, y))
    members = defaultdict(list)
    for r in rows:
        members[cluster_of[r["id"]]].append(r["id"])
    for ids in members.values():
        for x, y in combinations(sorted(ids), 2):
            a, b = people[pid_of(x)], people[pid_of(y)]
            if a["pid"] == b["pid"]:
                continue
            rel = relation(a, b, mother_of)
            if "msg" in (x.rsplit("-", 1)[1], y.rsplit("-", 1)[1]):
                rel = "message with the wrong mother"
            kind = ("false", source_pair(x, y), rel)
            false[kind[1:]] += 1
            seen[kind].append((x, y))
    show = lambda i: f"{i} [{by_id[i]['full_name'] or by_id[i]['given_name'] + ' ' + by_id[i]['family_name']}" \
        f" {by_id[i]['birth_date']} {by_id[i]['place']} {by_id[i]['nationalities']}" \
        f" f:{by_id[i]['father_name']} h:{by_id[i]['household']}]"
    for title, counts, tag in (("missed pairs", missed, "missed"), ("false pairs", false, "false")):
        print(f"\n{title}: {sum(counts.values())}")
        for (pair, kind), n in counts.most_common():
            print(f"  {pair:<10} {kind:<34} {n:>5}")
            for x, y in seen[(tag, pair, kind)][:examples]:
                print(f"      {show(x)}  ~  {show(y)}")


def fits(message, mother, story, legacy):
    """Whether a mother fits what a message says (child's name, place, nationality)."""
    child, place, nation = message
    named = mother["children"] if legacy else mother["children"][:1]
    return (any(c["given"] == child for c in named)
            and (not place or place == story["camp"])
            and (not nation or nation == story["nats"][0]))


def kunya_oracle(rows, people, legacy):
    """Messages that fit several mothers in the story, and messages whose mother is on
    no list."""
    rows_of = defaultdict(list)
    for r in rows:
        rows_of[pid_of(r["id"])].append(r)
    listed = [p for p in people if p["children"]
              and any(r["source"] != "msg" for r in rows_of[p["pid"]])]
    several, nothing_to_link = [], []
    for r in rows:
        if r["source"] != "msg":
            continue
        mother = people[pid_of(r["id"])]
        if mother not in listed:
            nothing_to_link.append(r["id"])
            continue
        words = r["full_name"]
        nation = r["nationalities"] or (mother["nats"][0] if mother["nation"][1] in words
                                        or mother["nation"][2] in words else "")
        message = (mother["children"][0]["given"], r["place"], nation)
        if sum(fits(message, m, m, legacy) for m in listed) > 1:
            several.append(r["id"])
    return several, nothing_to_link


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("clusters")
    ap.add_argument("--households", type=int, default=600)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--legacy", action="store_true")
    ap.add_argument("--examples", type=int, default=0)
    a = ap.parse_args()
    people, rows = generate(a.households, a.seed, a.legacy)
    with open(a.clusters, newline="", encoding="utf-8") as f:
        cluster_of = {r["id"]: r["cluster_id"] for r in csv.DictReader(f)}
    ids = [r["id"] for r in rows]
    missing = [i for i in ids if i not in cluster_of]
    if missing:
        raise SystemExit(f"{len(missing)} records have no cluster in {a.clusters}, e.g. {missing[0]}"
                         " (were the data made with the same --households and --seed?)")
    print("measured:", json.dumps(pair_f1(cluster_of, ids)))
    errors(rows, cluster_of, people, a.examples)
    several, nothing = kunya_oracle(rows, people, a.legacy)
    n_msg = sum(r["source"] == "msg" for r in rows)
    print(f"\nkunya messages: {n_msg}; of the mother nothing else is listed: {len(nothing)}")
    outcome = Counter()
    ambiguous, nothing = set(several), set(nothing)
    for r in rows:
        if r["source"] != "msg":
            continue
        mates = [i for i in ids if i != r["id"] and cluster_of[i] == cluster_of[r["id"]]]
        result = ("not linked" if not mates else
                  "linked to her" if all(pid_of(i) == pid_of(r["id"]) for i in mates) else
                  "linked to another")
        kind = ("fit several mothers" if r["id"] in ambiguous
                else "have no other record" if r["id"] in nothing else "fit one")
        outcome[(kind, result)] += 1
    for (kind, result), n in sorted(outcome.items()):
        print(f"  messages that {kind}, {result}: {n}")
    oracle = {i: str(pid_of(i)) for i in ids}
    for i in several:
        oracle[i] = i
    print(f"  fit several mothers in the story: {len(several)}; "
          f"F1 bound with them unlinked: {pair_f1(oracle, ids)['f1']}")


if __name__ == "__main__":
    main()
