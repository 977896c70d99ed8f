# Checks of command-line values shared by scripts/instructions and scripts/timing: each failure
# is one line naming the script, the option, the value and what is allowed, and exit 2.
# shellcheck shell=bash

# require_whole SCRIPT OPTION VALUE: a whole number >= 1.
require_whole() {
  [[ "$3" =~ ^[1-9][0-9]*$ ]] || {
    echo "$1: --$2 = '$3': expected a whole number >= 1" >&2
    exit 2
  }
}

# require_positive SCRIPT OPTION VALUE: a decimal number > 0.
require_positive() {
  if ! [[ "$3" =~ ^([0-9]+\.?[0-9]*|\.[0-9]+)$ ]] || ! awk -v y="$3" 'BEGIN {exit !(y > 0)}'; then
    echo "$1: --$2 = '$3': expected a number > 0" >&2
    exit 2
  fi
}
