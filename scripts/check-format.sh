#!/usr/bin/env bash
# Checks every tracked C file against the .clang-format that governs it
# (the root one, or libs/bpf's). Prints one TAP line; "make format" fixes.
#   scripts/check-format.sh          check
#   scripts/check-format.sh --fix    rewrite the files in place
set -u
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null 2>&1; then
  echo "not ok - FORMAT clang-format is installed (scripts/setup.sh installs it)"
  exit 1
fi
mapfile -t files < <(git ls-files '*.c' '*.h' | grep -v '^build/')
if [[ ${1:-} == --fix ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [[ ${#bad[@]} -eq 0 ]]; then
  echo "ok 1 FORMAT all ${#files[@]} C files match their .clang-format"
else
  echo "not ok 1 FORMAT ${#bad[@]} of ${#files[@]} C files differ from their .clang-format (make format fixes)"
  printf '#   %s\n' "${bad[@]}"
  exit 1
fi
