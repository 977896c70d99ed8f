#!/bin/sh
# An address-space limit (`ulimit -v`, as batch systems set): a run that would not fit under it,
# here for its trace, is refused up front with the estimate, exit code 2, nothing left behind; a
# small run under the same limit still runs. usage: address_space_limit.sh SARCOSIM DIR
sarcosim=$1 dir=$2
rm -rf "$dir" && mkdir -p "$dir"
failed=0
message=$( (ulimit -v 700000; "$sarcosim" run scenarios/baseline.toml --agents 2000 --years 20 --trace 2000 --quiet -o "$dir/r.h5") 2>&1 )
code=$?
[ "$code" -eq 2 ] || { echo "FAILED: exit code $code, expected 2"; failed=1; }
case "$message" in *"smaller --trace"*) ;; *) echo "FAILED: message does not say so: $message"; failed=1 ;; esac
[ "$(echo "$message" | wc -l)" -eq 1 ] || { echo "FAILED: more than one line: $message"; failed=1; }
if ls "$dir" | grep -q .; then echo "FAILED: files left behind: $(ls "$dir")"; failed=1; fi
echo "message: $message"
small=$( (ulimit -v 700000; "$sarcosim" run scenarios/baseline.toml --agents 2000 --years 1 --quiet -o "$dir/s.h5") 2>&1 )
[ $? -eq 0 ] || { echo "FAILED: a small run under the same limit: $small"; failed=1; }
if [ $failed -eq 0 ]; then echo "2 passed, 0 failed"; else echo "0 passed, 1 failed"; exit 1; fi
