#!/usr/bin/python3
"""Checks that two sweep directories hold the same results, series for series (used by CTest to
show that a sweep over MPI ranks equals one on one machine). usage: compare_sweeps.py DIR_A DIR_B"""
import glob, os, sys

import h5py
import numpy as np

a, b = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(os.path.join(a, "runs", "*.h5")))
if not files:
    sys.exit(f"{a}: no run files")
for f in files:
    g = os.path.join(b, "runs", os.path.basename(f))
    sa, sb = h5py.File(f)["series"], h5py.File(g)["series"]
    for k in sa:
        x, y = sa[k][:], sb[k][:]
        same = np.array_equal(x, y, equal_nan=True) if x.dtype.kind == "f" else np.array_equal(x, y)
        if not same:
            sys.exit(f"{g}: series {k} differs from {f}")
print(f"{len(files)} runs identical")
