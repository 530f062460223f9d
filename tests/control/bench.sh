#!/usr/bin/env bash
# Control-plane figures as BENCH lines (make bench): runs the end-to-end
# test (tests/control/run.sh) on an image of BUILD_DIR with REPLACEMENTS
# replacements under QEMU -icount shift=0 and reports, in guest
# instructions, the switch between programs, the preparation before it,
# what a signed replacement with a 997-instruction program costs the
# agent (signature check, the bpf PD's load and verification), a kernel
# trace hook's replacement (take-over, first record after it), what a
# status request costs the agent and the virtio console driver on one
# connection, how long a map watch takes to push a change (wall time,
# a 20 ms interval: the mean over 10 bursts, as median and min; the worst
# as max), and the initialiser's boot measurements.
#   tests/control/bench.sh [BUILD_DIR] [REPLACEMENTS]
set -u
cd "$(dirname "$0")/../.."
out=$(tests/control/run.sh "${1:-build/bench}" "${2:-200}" 2>&1)
line() { # name value
  [[ -n $2 ]] && echo "BENCH $1 instructions median=$2 min=$2 max=$2 n=1"
}
sw=$(sed -n 's/^# switch cost.*min \([0-9]*\), median \([0-9]*\), max \([0-9]*\); preparation (the run before): median \([0-9]*\); a run: \([0-9]*\)/\1 \2 \3 \4 \5/p' <<<"$out")
read -r smin smed smax prep run <<<"$sw"
n=$(sed -n 's/^# events.*switches \([0-9]*\)/\1/p' <<<"$out")
[[ -n $smed ]] && echo "BENCH control_switch instructions median=$smed min=$smin max=$smax n=$n"
line control_prepare_median "$prep"
line control_counter_run "$run"
cost=$(sed -n 's/^# in the system: agent \([0-9]*\) guest instructions, of which signature check \([0-9]*\), bpf PD: load \([0-9]*\), verify and offer \([0-9]*\)/\1 \2 \3 \4/p' <<<"$out")
read -r agent sig load verify <<<"$cost"
line control_replace_1000insn_agent "$agent"
line control_replace_1000insn_signature "$sig"
line control_replace_1000insn_load "$load"
line control_replace_1000insn_verify "$verify"
per=$(sed -n 's/^# resync bench: .*: agent \([0-9]*\), driver \([0-9]*\) guest instructions per request/\1 \2/p' <<<"$out")
read -r pagent pdriver <<<"$per"
line control_status_request_agent "$pagent"
line control_status_request_driver "$pdriver"
lat=$(sed -n 's/^# resync watch: .*mean \([0-9.]*\) ms, worst \([0-9.]*\) ms/\1 \2/p' <<<"$out")
read -r lmean lworst <<<"$lat"
[[ -n $lmean ]] && echo "BENCH control_watch_latency ms median=$lmean min=$lmean max=$lworst n=10"
# kernel trace hook replacements: the take-over in the bpf PD's control
# call, and what the first record after the switch costs beyond the next
tr=$(sed -n 's/^# trace switch: take-over in the control call median \([0-9]*\) guest instructions; first record after the switch beyond the next: median \(-\{0,1\}[0-9]*\), .*/\1 \2/p' <<<"$out")
read -r ttake textra <<<"$tr"
line control_trace_takeover "$ttake"
line control_trace_first_record_extra "$textra"
# the initialiser's boot measurements (kernel, specification, programs)
line control_boot_measure "$(sed -n 's/^# initialiser: boot measurements: .* hashed in \([0-9]*\) instructions.*/\1/p' <<<"$out")"
grep -q '^[0-9]* passed, 0 failed' <<<"$out" || { echo "# control bench: the test failed"; grep '^not ok' <<<"$out"; }
