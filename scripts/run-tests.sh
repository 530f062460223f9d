#!/usr/bin/env bash
# Runs every test suite and prints one closing line "N passed, N failed".
# Suites print TAP lines ("ok N NAME ..." / "not ok N NAME ..."); a suite that
# hangs, panics, crashes or ends without its summary counts as a failure.
set -u
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT
extra_fail=0

stage() { echo "# --- $1"; }
# Count a suite's TAP lines; keep its own summary line as a comment.
show() { tr -d '\r' < "$1" | sed -E 's/^([0-9]+ passed, [0-9]+ failed)$/# suite: \1/' | tee -a "$log/all"; }
fail_stage() { echo "not ok - $1" | tee -a "$log/all"; }

# The conformance suite runs on a kernel with several domains (its DOMAINS
# group needs them; domain 3 gets no slot), the other groups in domain 0
# (tests/kernel/test_domains.c); the one-domain kernel runs it once too.
SUITE_DOMAINS=(DOMAIN_SCHEDULE=0:6,1:3,2:3 NUM_DOMAINS=4)

stage "build (debug, release, bench)"
if ! make -s -j"$JOBS" BUILD=debug all >"$log/build" 2>&1 || ! make -s -j"$JOBS" BUILD=release all >>"$log/build" 2>&1 ||
   ! make -s -j"$JOBS" BUILD=bench build/bench/hello.img >>"$log/build" 2>&1 ||
   ! make -s -j"$JOBS" BUILD=debug "${SUITE_DOMAINS[@]}" build/debug-domains/tests.img >>"$log/build" 2>&1; then
  cat "$log/build"
  fail_stage "BUILD kernel, libsel4 and root tasks build"
fi
# the MCS configuration (riscv64): kernel, its demo and the conformance suite
if ! make -s -j"$JOBS" MCS=1 BUILD=debug build/debug-mcs/hello.img build/debug-mcs/mcs.img >"$log/build-mcs" 2>&1 ||
   ! make -s -j"$JOBS" MCS=1 BUILD=debug "${SUITE_DOMAINS[@]}" build/debug-mcs-domains/tests.img >>"$log/build-mcs" 2>&1 ||
   ! make -s -j"$JOBS" ARCH=x86_64 MCS=1 BUILD=debug build/x86_64/debug-mcs/mcs.img >>"$log/build-mcs" 2>&1 ||
   ! make -s -j"$JOBS" ARCH=x86_64 MCS=1 BUILD=debug "${SUITE_DOMAINS[@]}" build/x86_64/debug-mcs-domains/tests.img \
     >>"$log/build-mcs" 2>&1; then
  cat "$log/build-mcs"
  fail_stage "BUILD MCS configuration kernel and demo build"
fi
if ! make -s -j"$JOBS" ARCH=x86_64 BUILD=debug all >"$log/build-x86_64" 2>&1 ||
   ! make -s -j"$JOBS" ARCH=x86_64 BUILD=debug "${SUITE_DOMAINS[@]}" build/x86_64/debug-domains/tests.img \
     >>"$log/build-x86_64" 2>&1 ||
   ! make -s -j"$JOBS" ARCH=x86_64 BUILD=release all >>"$log/build-x86_64" 2>&1 ||
   ! make -s -j"$JOBS" ARCH=x86_64 BUILD=bench build/x86_64/bench/hello.img >>"$log/build-x86_64" 2>&1; then
  cat "$log/build-x86_64"
  fail_stage "BUILD x86_64 kernel and root tasks build"
fi

stage "libsel4 headers (seL4's C API as C gnu11 and C++17)"
if tests/headers/run.sh >"$log/headers" 2>&1; then show "$log/headers"; else
  show "$log/headers"; fail_stage "HEADERS checks run and exit cleanly"; fi

stage "C style (make check-format)"
scripts/check-format.sh | tee -a "$log/all"

stage "host unit tests"
if make -s -f tests/host/host.mk O=build/host >"$log/host" 2>&1; then show "$log/host"; else
  show "$log/host"; fail_stage "HOST unit tests build and exit cleanly"; fi

# A suite's QEMU run, its output to $log/NAME and its exit status to
# $log/NAME.rc; then its report: TAP lines, and a failure for a hang, a
# kernel panic or a missing summary line.
qemu_suite_run() { # name image seconds [qemu args...]; ARCH picks the machine
  local name=$1 img=$2 secs=$3
  shift 3
  if [[ ! -f $img ]]; then echo missing >"$log/$name.rc"; return; fi
  scripts/qemu.sh "$secs" "$img" -append quiet "$@" >"$log/$name" 2>&1 </dev/null
  echo $? >"$log/$name.rc"
}
qemu_suite_report() { # name seconds
  local name=$1 secs=$2 out=$log/$1 rc
  stage "$name (QEMU ${ARCH:-riscv64}, limit ${secs}s)"
  rc=$(cat "$log/$name.rc" 2>/dev/null)
  if [[ $rc == missing ]]; then fail_stage "$name image exists"; return; fi
  if [[ -z $rc ]]; then fail_stage "$name ran"; return; fi
  sed -n '/^TAP version/,$p' "$out" | grep -E '^(ok|not ok|#|[0-9]+ passed)' | show /dev/stdin
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then fail_stage "$name finished within ${secs}s (hang)"; tail -5 "$out"; fi
  if grep -q "KERNEL PANIC" "$out"; then fail_stage "$name: no kernel panic"; grep "KERNEL PANIC" "$out"; fi
  if ! grep -qE '^[0-9]+ passed, [0-9]+ failed' "$out"; then fail_stage "$name reached its summary line"; tail -20 "$out"; fi
}
run_qemu_suite() { # name image seconds [qemu args...]
  qemu_suite_run "$@"
  qemu_suite_report "$1" "$3"
}

# The x86_64 MCS suite runs in the background from here on, beside the
# stages below (QEMU emulates one CPU on one host thread, and the machine
# has two), and reports in its place after the x86_64 suite. Under -icount
# its time measurements follow the guest's instructions, so sharing the
# host does not change its results.
X86_64_MCS_SECS=400
ARCH=x86_64 qemu_suite_run KERNEL_MCS_X86_64 build/x86_64/debug-mcs-domains/tests.img "$X86_64_MCS_SECS" \
  -icount shift=0,sleep=off &
x86_64_mcs_pid=$!
trap 'kill "$x86_64_mcs_pid" 2>/dev/null; wait; rm -rf "$log"' EXIT

# The domain kernel under -icount: the DOMAINS group measures slots of a
# few milliseconds, and QEMU's clock then follows the guest's instructions,
# not a busy host; with sleep=off idle time passes at once instead of in
# host time, which a loaded host (this stage shares it with the x86_64 MCS
# suite) would stretch (DOMAINS0004 measures a domain's idle slots).
run_qemu_suite KERNEL build/debug-domains/tests.img 600 -icount shift=0,sleep=off -rtc clock=vm
# again with one domain, on a hart without Sstc: the timer then goes
# through SBI's TIME extension
run_qemu_suite KERNEL_SBI_TIMER build/debug/tests.img 600 -cpu rv64,sstc=false
# the suite on the MCS configuration (shared groups plus the MCS-only ones,
# tests/kernel/mcs/), under -icount so that the budget measurements
# (BUDGET, TIMEOUTFAULT) follow the guest's instructions, not the host's load
# (and with sleep=off idle time passes at once instead of in host time); on
# the domain kernel, so that DOMAINS runs with MCS too
run_qemu_suite KERNEL_MCS build/debug-mcs-domains/tests.img 400 -icount shift=0,sleep=off -rtc clock=vm
# the same suite on x86_64 (QEMU's PC). Its interrupt source, the HPET,
# is raised by QEMU's timer thread, which a busy host delays; under
# -icount QEMU's clocks follow the guest's instructions instead, so the
# suite's time bounds hold whatever the host does.
ARCH=x86_64 run_qemu_suite KERNEL_X86_64 build/x86_64/debug-domains/tests.img 300 -icount shift=0,sleep=off
# the MCS suite on x86_64 (started in the background above)
wait "$x86_64_mcs_pid"
trap 'rm -rf "$log"' EXIT
ARCH=x86_64 qemu_suite_report KERNEL_MCS_X86_64 "$X86_64_MCS_SECS"

stage "scenario tests (kernel behaviour seen from outside)"
scripts/scenarios.sh build/debug | tee -a "$log/all"
stage "scenario tests on x86_64"
ARCH=x86_64 scripts/scenarios.sh build/x86_64/debug | tee -a "$log/all"

stage "system builder: tool checks (host) and example systems (QEMU)"
if make -s -j"$JOBS" BUILD=debug sdk systems build/host/microkit/fuzz_sdf >"$log/systems-build" 2>&1 &&
   make -s -j"$JOBS" BUILD=release sdk systems >>"$log/systems-build" 2>&1; then
  tests/tools/run.sh build/sdk/bin/microkit >"$log/tools" 2>&1; show "$log/tools"
  grep -qE '^[0-9]+ passed, [0-9]+ failed' "$log/tools" || fail_stage "TOOL negative tests reached their summary"
  tests/system/run.sh build/debug 30 >"$log/systems" 2>&1; show "$log/systems"
  grep -qE '^[0-9]+ passed, [0-9]+ failed' "$log/systems" || fail_stage "SYSTEM tests reached their summary"
  # the control plane: hyposctl against examples/control over its virtio console
  if make -s BUILD=debug build/host/control/storm build/host/control/resync >>"$log/systems-build" 2>&1; then
    tests/control/run.sh build/debug 1000 >"$log/control" 2>&1; show "$log/control"
    grep -qE '^[0-9]+ passed, [0-9]+ failed' "$log/control" || fail_stage "CONTROL tests reached their summary"
  else
    cat "$log/systems-build"; fail_stage "CONTROL the storm tool builds"
  fi
else
  cat "$log/systems-build"; fail_stage "SYSTEM the microkit tool, SDK and example systems build"
fi
# the same on the MCS kernel (build/sdk-mcs): budgets, periods, passive PDs
stage "system builder on the MCS kernel: tool checks (host) and example systems (QEMU)"
if make -s -j"$JOBS" MCS=1 BUILD=debug sdk systems >"$log/systems-mcs-build" 2>&1; then
  TAP_PREFIX=MCSTOOL tests/tools/run.sh build/sdk-mcs/bin/microkit build/debug-mcs/examples/hello-system \
    build/debug-mcs/examples >"$log/tools-mcs" 2>&1; show "$log/tools-mcs"
  grep -qE '^[0-9]+ passed, [0-9]+ failed' "$log/tools-mcs" || fail_stage "MCSTOOL tests reached their summary"
  TAP_PREFIX=MCSSYSTEM tests/system/run.sh build/debug-mcs 30 >"$log/systems-mcs" 2>&1; show "$log/systems-mcs"
  grep -qE '^[0-9]+ passed, [0-9]+ failed' "$log/systems-mcs" || fail_stage "MCSSYSTEM tests reached their summary"
  # the control plane on the MCS kernel (fewer replacements: the same code paths)
  TAP_PREFIX=MCSCONTROL tests/control/run.sh build/debug-mcs 100 >"$log/control-mcs" 2>&1; show "$log/control-mcs"
  grep -qE '^[0-9]+ passed, [0-9]+ failed' "$log/control-mcs" || fail_stage "MCSCONTROL tests reached their summary"
else
  cat "$log/systems-mcs-build"; fail_stage "MCSSYSTEM the MCS SDK and example systems build"
fi

stage "control agent (system/agent, host, ASan+UBSan; libFuzzer 10 s)"
if make -s -C tests/control test O="$PWD/build/host/control" >"$log/agent" 2>&1; then show "$log/agent"; else
  show "$log/agent"; fail_stage "AGENT host tests build and exit cleanly"; fi
if make -s -C tests/control fuzz O="$PWD/build/host/control" FUZZ_SECONDS=10 >"$log/agent-fuzz" 2>&1; then
  echo "ok - AGENT_FUZZ libFuzzer on the agent's input for 10 s: $(grep -oE 'Done [0-9]+ runs' "$log/agent-fuzz" | tail -1)" | tee -a "$log/all"
else
  tail -30 "$log/agent-fuzz"; fail_stage "AGENT_FUZZ libFuzzer on the agent's input found nothing"
fi

stage "PD hook points (libs/bpfhook: host with ASan+UBSan, riscv64 under QEMU user mode)"
if make -s -C libs/bpfhook test O="$PWD/build/host/bpfhook" >"$log/bpfhook" 2>&1; then show "$log/bpfhook"; else
  show "$log/bpfhook"; fail_stage "BPFHOOK library tests build and exit cleanly"; fi

stage "signed bundles, keys and attestation (libs/bundle: host, ASan+UBSan; riscv64 under qemu-riscv64)"
if make -s -C libs/bundle test O="$PWD/build/host/bundle" >"$log/bundle" 2>&1; then show "$log/bundle"; else
  show "$log/bundle"; fail_stage "BUNDLE library tests build and exit cleanly"; fi

if [[ -f libs/bpf/Makefile ]]; then
  stage "eBPF library (libs/bpf)"
  if make -s -C libs/bpf test O="$PWD/build/host/bpf" >"$log/bpf" 2>&1; then show "$log/bpf"; else
    show "$log/bpf"; fail_stage "BPF library tests build and exit cleanly"; fi
fi

passed=$(grep -cE '^ok ' "$log/all")
failed=$(grep -cE '^not ok ' "$log/all")
echo "${passed} passed, ${failed} failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
