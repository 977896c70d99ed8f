#!/bin/sh
# A full disk (a file-size limit) while `sweep merge` writes the index: one line, exit code 3,
# the previous index.csv and index.h5 left as they were (never cut to 0 bytes), no temporary file.
# usage: sweep_index_file_size_limit.sh SARCOSIM DIR   (from the source directory)
sarcosim=$1 dir=$2
rm -rf "$dir" && mkdir -p "$dir"
printf 'base = "%s/scenarios/baseline.toml"\nmethod = "list"\n[[run]]\n"falls.rate_70" = 0.1\n[[run]]\n"falls.rate_70" = 0.2\n' \
  "$(pwd)" > "$dir/two.toml"
"$sarcosim" sweep "$dir/two.toml" -o "$dir/s" --agents 300 --years 0.1 --jobs 1 --quiet >/dev/null ||
  { echo "FAILED: the sweep itself; 0 passed, 1 failed"; exit 1; }
cp "$dir/s/index.csv" "$dir/index.csv.before" && cp "$dir/s/index.h5" "$dir/index.h5.before"
passed=0 failed=0
# 1 block: index.csv fails only when closed (the table is smaller than the stream's buffer);
# 16 blocks: index.csv fits and index.h5 does not.
for blocks in 1 16; do
  message=$( (ulimit -f $blocks; "$sarcosim" sweep merge "$dir/s") 2>&1 )
  code=$?
  ok=1
  [ "$code" -eq 3 ] || { echo "FAILED ($blocks blocks): exit code $code, expected 3"; ok=0; }
  [ "$(echo "$message" | wc -l)" -eq 1 ] || { echo "FAILED ($blocks blocks): more than one line"; ok=0; }
  if ! cmp -s "$dir/s/index.csv" "$dir/index.csv.before" ||
     ! cmp -s "$dir/s/index.h5" "$dir/index.h5.before"; then
    echo "FAILED ($blocks blocks): the previous index was changed"; ok=0
  fi
  if ls "$dir/s" | grep -q tmp; then echo "FAILED ($blocks blocks): left $(ls "$dir/s")"; ok=0; fi
  echo "message ($blocks blocks): $message"
  if [ $ok -eq 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
