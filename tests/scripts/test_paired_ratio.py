"""scripts/lib/paired_ratio.py: the sign-test interval of a median ratio, and bad input."""

import io
import math
import os
import sys
import unittest
from contextlib import redirect_stderr, redirect_stdout

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "scripts", "lib"))
import paired_ratio  # noqa: E402


class MedianInterval(unittest.TestCase):
    def test_five_values_are_too_few_for_95_percent(self):
        # [min, max] of 5 covers the median with 1 - 2/32 = 93.75 % only.
        self.assertIsNone(paired_ratio.median_interval([1, 2, 3, 4, 5]))

    def test_six_values_give_min_and_max(self):
        low, high, coverage = paired_ratio.median_interval([6, 1, 5, 2, 4, 3])
        self.assertEqual((low, high), (1, 6))
        self.assertAlmostEqual(coverage, 1 - 2 / 64)

    def test_ten_values_drop_one_at_each_end(self):
        # P(B <= 1) = 11/1024 for n = 10, so k = 2 (97.9 %); k = 3 would cover 89 % only.
        low, high, coverage = paired_ratio.median_interval(list(range(10, 0, -1)))
        self.assertEqual((low, high), (2, 9))
        self.assertAlmostEqual(coverage, 1 - 2 * 11 / 1024)

    def test_coverage_is_at_least_the_level_and_the_next_k_falls_below(self):
        for n in range(6, 60):
            low, high, coverage = paired_ratio.median_interval(list(range(1, n + 1)))
            k = low  # values are 1..n, so the lower end is the order statistic's index
            self.assertEqual(high, n + 1 - k)
            self.assertGreaterEqual(coverage, 0.95)
            wider_below = sum(math.comb(n, j) for j in range(k + 1)) / 2**n
            self.assertLess(1 - 2 * wider_below, 0.95, f"n = {n}: k = {k} is not the largest")


class Main(unittest.TestCase):
    def run_main(self, text):
        out, err = io.StringIO(), io.StringIO()
        stdin = sys.stdin
        sys.stdin = io.StringIO(text)
        try:
            with redirect_stdout(out), redirect_stderr(err):
                code = paired_ratio.main(["paired_ratio.py", "new", "old"])
        finally:
            sys.stdin = stdin
        return code, out.getvalue(), err.getvalue()

    def test_summary_of_pairs(self):
        code, out, _ = self.run_main("".join(f"{0.9 + i / 100} 1.0\n" for i in range(10)))
        self.assertEqual(code, 0)
        self.assertIn("new / old: median ratio 0.9450, 95 % interval [0.9100, 0.9800]", out)
        self.assertIn("new faster in 10 of 10 pairs", out)

    def test_bad_lines_name_the_line(self):
        self.assertEqual(self.run_main("1 2\nx 2\n")[0], 2)
        self.assertIn("line 2", self.run_main("1 2\nx 2\n")[2])
        self.assertIn("line 1: times must be > 0", self.run_main("0 2\n")[2])
        self.assertIn("no pairs", self.run_main("")[2])


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    failed = len(result.failures) + len(result.errors)
    print(f"{result.testsRun - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
