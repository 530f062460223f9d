#!/bin/sh
# Runs the bundle library's tests: run.sh O CORPUS_KEYS [QEMU_USER_RV]
# The host suite (ASan+UBSan), then a corpus of libsodium-made signatures
# and forgeries replayed against the host build (-O2) and, with
# qemu-riscv64, against the riscv64 build (a quarter of the keys: emulation
# is slower); one summary line "N passed, N failed".
O=$1 KEYS=$2 QEMU_RV=$3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$O/host/bundle_tests" "$out" > "$out/res-suite" 2>&1
grep -vE '^[0-9]+ passed, [0-9]+ failed$' "$out/res-suite"
"$O/host/corpus_make" "$KEYS" > "$out/corpus-host"
"$O/hostopt/corpus_check" host < "$out/corpus-host" > "$out/res-host" 2>&1
cat "$out/res-host"
if [ -n "$QEMU_RV" ]; then
  "$O/host/corpus_make" $((KEYS / 4)) > "$out/corpus-rv"
  timeout 300 "$QEMU_RV" "$O/rv64linux/corpus_check" riscv64 < "$out/corpus-rv" > "$out/res-rv64" 2>&1 ||
    echo "not ok 1 BUNDLE corpus on riscv64 ran to its end" >> "$out/res-rv64"
  cat "$out/res-rv64"
fi
if [ -n "$FUZZ_SECONDS" ] && [ -x "$O/fuzz/fuzz_bundle" ]; then
  if (cd "$O/fuzz" && ./fuzz_bundle -max_total_time="$FUZZ_SECONDS" -max_len=4096 corpus > fuzz.log 2>&1); then
    echo "ok 1 BUNDLE libFuzzer on bundles, keyrings and key files: $(grep -o 'Done [0-9]* runs' "$O/fuzz/fuzz.log" | head -1) in $FUZZ_SECONDS s, no finding"
  else
    echo "not ok 1 BUNDLE libFuzzer on bundles, keyrings and key files (see $O/fuzz/fuzz.log)"
    grep -A8 ERROR "$O/fuzz/fuzz.log" | head -20
  fi > "$out/res-fuzz"
  cat "$out/res-fuzz"
fi
passed=$(cat "$out"/res-* | grep -cE '^ok ')
failed=$(cat "$out"/res-* | grep -cE '^not ok ')
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
