"""Reading sarcosim result files and drawing their figures (Debian's python3-h5py, numpy,
matplotlib). Used by scripts/plot and scripts/report."""
