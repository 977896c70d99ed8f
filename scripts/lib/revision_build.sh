# Builds another git revision in a temporary worktree, for scripts that compare it with the
# working tree (scripts/instructions, scripts/timing). Source it, then:
#   rev=$(resolve_revision SCRIPT REV)       # the commit, or exit 2 naming the option
#   build_revision "$rev" DIR TARGET...       # worktree in DIR, Release build of TARGET in DIR/build
#   remove_revision_build DIR                 # in the caller's EXIT trap
# shellcheck shell=bash

resolve_revision() {
  local script=$1 rev=$2 commit
  commit=$(git rev-parse --verify -q "$rev^{commit}") || {
    echo "$script: --against = '$rev': not a git revision here" >&2
    exit 2
  }
  echo "$commit"
}

build_revision() {
  local rev=$1 dir=$2
  shift 2
  git worktree add --detach "$dir" "$rev" >/dev/null 2>&1 || {
    echo "could not check out $rev in a worktree at $dir (git worktree add)" >&2
    exit 1
  }
  cmake -S "$dir" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  local target
  for target in "$@"; do
    cmake --build "$dir/build" -j "$(nproc)" --target "$target" >/dev/null
  done
}

remove_revision_build() {
  [[ -n "${1:-}" && -d "$1" ]] && git worktree remove --force "$1" >/dev/null 2>&1
  return 0
}
