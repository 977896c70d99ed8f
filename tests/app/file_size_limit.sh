#!/bin/sh
# A full disk, as a file-size limit: the run must fail with a clear error and exit code 3, and
# leave neither a result file nor a temporary file. usage: file_size_limit.sh SARCOSIM DIR
sarcosim=$1 dir=$2
rm -rf "$dir" && mkdir -p "$dir"
message=$( (ulimit -f 200; "$sarcosim" run scenarios/baseline.toml --agents 20000 --years 2 --quiet -o "$dir/r.h5") 2>&1 )
code=$?
failed=0
[ "$code" -eq 3 ] || { echo "FAILED: exit code $code, expected 3"; failed=1; }
case "$message" in *"disk full"*) ;; *) echo "FAILED: message does not say so: $message"; failed=1 ;; esac
[ "$(echo "$message" | wc -l)" -eq 1 ] || { echo "FAILED: more than one line: $message"; failed=1; }
if ls "$dir" | grep -q .; then echo "FAILED: files left behind: $(ls "$dir")"; failed=1; fi
echo "message: $message"
if [ $failed -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi
