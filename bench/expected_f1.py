"""The decision threshold a model's own match probabilities recommend, without the truth.

    python expected_f1.py PAIRS.csv

PAIRS.csv is what `homeward link dedupe --pairs` writes (column match_probability).
If the probabilities are right, a pair with probability p is a match with probability
p, so linking the pairs at or above t is expected to find sum(p >= t) matches among
count(p >= t) links, out of sum(p) matches in all. The threshold that maximises
2 * sum(p >= t) / (count(p >= t) + sum(p)), the expected pairwise F1, is printed with
the curve. It uses no truth labels: it is how the person preset's threshold (0.5) was
chosen. (With calibrated probabilities the best threshold is about half the best F1.)
"""

import csv
import sys


def main(path):
    with open(path, newline="", encoding="utf-8") as f:
        ps = sorted((float(r["match_probability"]) for r in csv.DictReader(f)), reverse=True)
    total = sum(ps)
    best = (0.0, 1.0)
    kept = found = 0.0
    curve = {}
    marks = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]
    for p in ps:
        kept += 1
        found += p
        f1 = 2 * found / (kept + total)
        if f1 > best[0]:
            best = (f1, p)
        while marks and p < marks[0]:
            marks.pop(0)
        if marks:
            curve[marks[0]] = f1
    for t, f1 in sorted(curve.items(), reverse=True):
        print(f"  threshold {t:.1f}: expected F1 {f1:.4f}")
    print(f"pairs {len(ps)}, expected matches {total:.0f}; "
          f"best threshold {best[1]:.3f} (expected F1 {best[0]:.4f})")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
