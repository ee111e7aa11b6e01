"""Pairwise precision, recall and F1 of a linkage result against the truth in the ids.

The truth is the entity part of each record id: FEBRL's `rec-123-org` / `rec-123-dup-0`
(entity `rec-123`), and the generators' ids, which follow the same convention.

    python evaluate.py pairs PAIRS.csv LEFT.csv RIGHT.csv [--threshold P]
    python evaluate.py clusters CLUSTERS.csv INPUT.csv

Pairs files have columns left_id,right_id,match_probability; cluster files id,cluster_id.
Prints one JSON line.
"""

import csv
import json
import re
import sys
from collections import Counter, defaultdict


def entity(record_id: str) -> str:
    m = re.match(r"^\s*(rec-[^-]+|p-[^-]+)", record_id)
    return m.group(1) if m else record_id.strip()


def ids_of(path, id_column):
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader)]
        i = header.index(id_column)
        return [row[i].strip() for row in reader]


def prf(tp, predicted, true):
    p = tp / predicted if predicted else 1.0
    r = tp / true if true else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 6), "recall": round(r, 6), "f1": round(f, 6),
            "true_positives": tp, "predicted": predicted, "true": true}


def pairs(path, left, right, threshold, id_column):
    left_ids = ids_of(left, id_column)
    right_ids = ids_of(right, id_column)
    lc = Counter(entity(i) for i in left_ids)
    rc = Counter(entity(i) for i in right_ids)
    true = sum(lc[e] * rc[e] for e in lc)
    seen = set()
    tp = predicted = 0
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if float(row["match_probability"]) < threshold:
                continue
            key = (row["left_id"].strip(), row["right_id"].strip())
            if key in seen:
                continue
            seen.add(key)
            predicted += 1
            tp += entity(key[0]) == entity(key[1])
    return prf(tp, predicted, true)


def clusters(path, input_path, id_column):
    ids = ids_of(input_path, id_column)
    cluster_of = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cluster_of[row["id"].strip()] = row["cluster_id"].strip()
    missing = [i for i in ids if i not in cluster_of]
    if missing:
        raise SystemExit(f"{len(missing)} input records have no cluster, e.g. {missing[0]}")
    by_cluster = Counter(cluster_of[i] for i in ids)
    by_entity = Counter(entity(i) for i in ids)
    both = Counter((cluster_of[i], entity(i)) for i in ids)
    c2 = lambda n: n * (n - 1) // 2
    tp = sum(c2(n) for n in both.values())
    return prf(tp, sum(c2(n) for n in by_cluster.values()), sum(c2(n) for n in by_entity.values()))


def main(argv):
    threshold = 0.5
    id_column = "rec_id"
    args = []
    it = iter(argv)
    for a in it:
        if a == "--threshold":
            threshold = float(next(it))
        elif a == "--id":
            id_column = next(it)
        else:
            args.append(a)
    if args[0] == "pairs":
        out = pairs(args[1], args[2], args[3], threshold, id_column)
    elif args[0] == "clusters":
        out = clusters(args[1], args[2], id_column)
    else:
        raise SystemExit(__doc__)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1:])
