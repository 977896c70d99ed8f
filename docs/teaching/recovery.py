#!/usr/bin/python3
"""Lab 2: how much lean mass and leg strength the traced cohort members lost in bed rest, and how
much they had regained a year later. usage: docs/teaching/recovery.py RESULT.h5 [more.h5 ...]"""
import sys

import h5py
import numpy as np

for path in sys.argv[1:]:
    f = h5py.File(path)
    t = f["trace"]
    member = t["cohort.member"][0] > 0
    alive = t["alive"][-1] > 0
    keep = member & alive
    alm, leg = t["alm_kg"][:, keep], t["muscle.leg_strength"][:, keep]
    start, end_rest, last = 29, 39, alm.shape[0] - 1  # bed rest on days 30-39
    lost = 100 * (alm[end_rest] / alm[start] - 1).mean()
    after = 100 * (alm[last] / alm[start] - 1).mean()
    leg_lost = 100 * (leg[end_rest] / leg[start] - 1).mean()
    leg_after = 100 * (leg[last] / leg[start] - 1).mean()
    print(f"{path}: {keep.sum()} people; lean mass {lost:+.1f} % after bed rest, {after:+.1f} % a year later; "
          f"leg strength {leg_lost:+.1f} % after, {leg_after:+.1f} % a year later")
