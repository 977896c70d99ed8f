"""Paired timings of two builds, summarised without assuming a distribution.

This machine's speed drifts by 10-40 % from hour to hour, so two builds are compared in pairs run
one right after the other; the ratio within a pair cancels the drift. The median ratio gets a
distribution-free interval from order statistics (the sign test's): the number of ratios below
the true median is Binomial(n, 1/2), so [r_(k), r_(n+1-k)] covers it with probability
1 - 2 P(B <= k - 1). Standard library only (any python3).

    python3 scripts/lib/paired_ratio.py LABEL_A LABEL_B < pairs   (lines: "seconds_a seconds_b")
"""

import math
import statistics
import sys


def median_interval(values, level=0.95):
    """(low, high, coverage) for the median of `values`, or None if n is too small for `level`."""
    xs = sorted(values)
    n = len(xs)
    best = None
    for k in range(1, n // 2 + 1):
        below = sum(math.comb(n, j) for j in range(k)) / 2**n  # P(B <= k - 1)
        coverage = 1 - 2 * below
        if coverage < level:
            break
        best = (xs[k - 1], xs[n - k], coverage)
    return best


def summary(pairs, label_a, label_b):
    """Lines of text: medians of each build, the median ratio a / b with its interval."""
    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]
    ratios = [x / y for x, y in pairs]
    out = [
        f"{label_a}: median {statistics.median(a):.3f} s (range {min(a):.3f}-{max(a):.3f})",
        f"{label_b}: median {statistics.median(b):.3f} s (range {min(b):.3f}-{max(b):.3f})",
    ]
    faster = sum(r < 1 for r in ratios)
    ratio = f"{label_a} / {label_b}: median ratio {statistics.median(ratios):.4f}"
    interval = median_interval(ratios)
    if interval is None:
        ratio += f" (no 95 % interval from {len(ratios)} pairs: 6 or more are needed)"
    else:
        low, high, coverage = interval
        ratio += f", 95 % interval [{low:.4f}, {high:.4f}] (covers {100 * coverage:.1f} %)"
    out.append(ratio)
    out.append(f"{label_a} faster in {faster} of {len(ratios)} pairs")
    return out


def main(argv):
    if len(argv) != 3:
        print("usage: paired_ratio.py LABEL_A LABEL_B < pairs", file=sys.stderr)
        return 2
    pairs = []
    for number, line in enumerate(sys.stdin, 1):
        fields = line.split()
        try:
            a, b = (float(x) for x in fields)
        except ValueError:
            print(f"paired_ratio.py: line {number}: expected two times in seconds, got '{line.strip()}'",
                  file=sys.stderr)
            return 2
        if not (a > 0 and b > 0):
            print(f"paired_ratio.py: line {number}: times must be > 0", file=sys.stderr)
            return 2
        pairs.append((a, b))
    if not pairs:
        print("paired_ratio.py: no pairs on standard input", file=sys.stderr)
        return 2
    print("\n".join(summary(pairs, argv[1], argv[2])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
