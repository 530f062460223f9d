#!/usr/bin/env bash
# End-to-end tests of the control plane: boots examples/control in QEMU
# with its virtio console on a UNIX socket and drives it with hyposctl
# (build/sdk/bin/hyposctl), the malformed-message storm
# (build/host/control/storm) and the connections that end badly, the
# per-request figures and the pushed map watch (build/host/control/resync);
# at the end it boots again with another virtio device in front of the
# console, which the driver must find one slot lower. QEMU runs with
# -icount shift=0, so the instruction counter PDs read counts guest
# instructions (without it QEMU returns host time there) and the switch
# figures are exact.
# One TAP line per check, CONTROL0001...
#   tests/control/run.sh [BUILD_DIR] [REPLACEMENTS] [TRACE_REPLACEMENTS]
set -u
cd "$(dirname "$0")/../.."
dir=${1:-build/debug}
replacements=${2:-1000}
trace_replacements=${3:-100}
img=$dir/control.img
ex=$dir/examples/control
ctl=${HYPOSCTL:-build/sdk/bin/hyposctl}
storm=${STORM:-build/host/control/storm}
resync=${RESYNC:-build/host/control/resync}
tmp=$(mktemp -d)
sock=$tmp/control.sock
log=$tmp/console.log
n=0; failed=0
qpid=
cleanup() { [[ -n $qpid ]] && kill "$qpid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

tap() { # ok|fail text
  n=$((n + 1))
  local id; id=$(printf '%s%04d' "${TAP_PREFIX:-CONTROL}" "$n")
  if [[ $1 == ok ]]; then echo "ok $n $id $2"; else echo "not ok $n $id $2"; failed=$((failed + 1)); fi
}
H() { "$ctl" -s "$sock" -t 10000 "$@"; }
# expect_ok NAME CMD... : succeeds; output in $out
expect_ok() {
  local name=$1; shift
  if out=$("$@" 2>&1); then tap ok "$name"; else tap fail "$name"; echo "$out" | sed 's/^/#   /'; fi
}
# expect_refusal NAME TEXT CMD... : exits 1 with TEXT in its message
expect_refusal() {
  local name=$1 text=$2; shift 2
  out=$("$@" 2>&1); local rc=$?
  if [[ $rc -eq 1 ]] && grep -qF -- "$text" <<<"$out"; then tap ok "$name"
  else tap fail "$name (exit $rc, wanted '$text')"; echo "$out" | sed 's/^/#   /'; fi
}
value() { sed -n "s/^$1 = \\(-\\{0,1\\}[0-9]*\\).*/\\1/p" <<<"$2" | head -1; }

for f in "$img" "$ctl" "$storm" "$resync" "$ex/counter.bpf.o" "$ex/counter_v2.bpf.o" "$ex/ticks.bpf.o" "$ex/ticks_v2.bpf.o"; do
  [[ -e $f ]] || { tap fail "$f exists"; echo "$((n - failed)) passed, $failed failed"; exit 1; }
done

boot() { # [QEMU devices before the console's]
  rm -f "$sock"
  timeout --foreground -k 5 600 qemu-system-riscv64 -machine virt -nographic -serial mon:stdio -kernel "$img" \
    -m size=2G ${QEMU_EXTRA--icount shift=0} -global virtio-mmio.force-legacy=false "$@" -device virtio-serial-device \
    -chardev socket,id=ctl,path="$sock",server=on,wait=off -device virtserialport,chardev=ctl >"$log" 2>&1 </dev/null &
  qpid=$!
  for _ in $(seq 1 150); do grep -q "worker: producing events" "$log" 2>/dev/null && [[ -S $sock ]] && break; sleep 0.2; done
}
boot
if grep -q "worker: producing events" "$log"; then tap ok "system boots, driver and agent ready"
else tap fail "system boots, driver and agent ready"; sed 's/^/#   /' "$log" | tail -20; echo "$((n - failed)) passed, $failed failed"; exit 1; fi

# boot measurements: logged by the initialiser before any PD ran, equal
# to what the tool expects (IMAGE.measurements), and a difference named
meas=$img.measurements
# kernel, specification, every PD of the file and the monitor
nboot=$(grep -vc '^#' "$meas")
npd=$(grep -c '<protection_domain name=' examples/control/control.system)
[[ $nboot == $((npd + 3)) ]] && grep -qE "^initialiser: boot measurements: $nboot entries, [0-9]+ bytes hashed" "$log" && tap ok "the initialiser measured kernel, specification and $((npd + 1)) programs at boot" || { tap fail "initialiser boot measurements ($nboot expected, $npd PDs)"; grep initialiser "$log" | sed 's/^/#   /'; }
grep "^initialiser: boot measurements" "$log" | tr -d '\r' | sed 's/^/# /'
expect_ok "attest --expect at boot" H attest --device "$ex/device.pub" --expect "$meas"
boot_ok=1
while read -r kind name _; do
  [[ $kind == \#* ]] && continue
  grep -qE "^ +[0-9]+  $kind +$name +[0-9]+  [0-9a-f]{64}$" <<<"$out" || boot_ok=0
done <"$meas"
grep -qE "^ +0  boot-kernel +kernel " <<<"$out" && grep -qE "^ +1  boot-system +system " <<<"$out" &&
  grep -qE "^ +$((nboot - 1))  boot-pd +monitor " <<<"$out" || boot_ok=0
[[ $boot_ok == 1 ]] && grep -q "($nboot boot measurements, 0 changes)" <<<"$out" && tap ok "the log starts with the $nboot boot measurements, named (kernel, system, each PD, monitor)" || { tap fail "boot entries named"; echo "$out" | sed 's/^/#   /'; }
grep -q "boot measurements: all $nboot equal" <<<"$out" && tap ok "every boot measurement equals the tool's expected value" || { tap fail "boot measurements equal the build's"; echo "$out" | sed 's/^/#   /'; }
k=$(awk '$1 == "boot-kernel" { print $4 }' "$meas")
[[ ${#k} == 64 ]] && grep -q "$k" <<<"$out" && tap ok "the kernel's measurement is the tool's ($(awk '$1 == "boot-kernel" { print $3 }' "$meas") bytes)" || tap fail "kernel measurement"
awk '$2 == "agent" { $4 = (substr($4, 1, 2) == "00" ? "ff" : "00") substr($4, 3) } { print }' "$meas" >"$tmp/tampered.measurements"
expect_refusal "attest --expect with the agent's value changed: named" "boot measurement of boot-pd 'agent' differs" H attest --device "$ex/device.pub" --expect "$tmp/tampered.measurements"
grep -v "^boot-system" "$meas" >"$tmp/short.measurements"
expect_refusal "attest --expect without the system's entry: named" "boot measurement of boot-system 'system' is in the log but not expected" H attest --device "$ex/device.pub" --expect "$tmp/short.measurements"
{ cat "$meas"; echo "boot-pd ghost 12 $k"; } >"$tmp/extra.measurements"
expect_refusal "attest --expect with a PD the system lacks: named" "boot-pd 'ghost' expected by" H attest --device "$ex/device.pub" --expect "$tmp/extra.measurements"
echo "boot-pd agent 12 not-hex" >"$tmp/malformed.measurements"
out=$(H attest --device "$ex/device.pub" --expect "$tmp/malformed.measurements" 2>&1); rc=$?
[[ $rc == 2 ]] && grep -q "line 1: 'not-hex' is not a SHA-256" <<<"$out" && tap ok "a malformed expectation file: usage error with its line" || { tap fail "malformed expectation (exit $rc)"; echo "$out" | sed 's/^/#   /'; }

expect_ok "status" H status
grep -q "hooks: 2, programs running: 2, PDs with configuration: 2" <<<"$out" && tap ok "status counts hooks (a PD hook and a trace hook), programs, PDs" || { tap fail "status counts"; echo "$out" | sed 's/^/#   /'; }
expect_ok "list" H list
id=$(awk '$2 == "event" { print $1 }' <<<"$out")
[[ $id =~ ^[0-9]+$ ]] && grep -q "pdhook/event" <<<"$out" && tap ok "list shows the program built into the image (id $id)" || { tap fail "list shows the built-in program"; echo "$out" | sed 's/^/#   /'; }
expect_ok "map dump" H map dump state
grep -qE "^  0 = [1-9][0-9]*$" <<<"$out" && tap ok "map dump shows events counted" || { tap fail "map dump counts"; echo "$out" | sed 's/^/#   /'; }
expect_ok "map dump HOOK/NAME of a hash map" H map dump event/kinds
grep -qE "^  7 = [1-9]" <<<"$out" && tap ok "hash map holds the worker's kind" || { tap fail "hash map kind"; echo "$out" | sed 's/^/#   /'; }
expect_ok "map watch" H map watch state --interval 100 --count 4
[[ $(grep -cE "^[0-9.]+s  0: [0-9]+ -> [0-9]+" <<<"$out") -ge 2 ]] && tap ok "map watch reports live changes" || { tap fail "map watch changes"; echo "$out" | sed 's/^/#   /'; }
expect_ok "config get" H config get worker

# refusals, each with its reason; the program keeps running. The system
# has a keyring: only bundles signed by the release key are admitted.
K=(--key "$ex/release.key")
expect_refusal "load: plain object refused as unsigned" "unsigned" H load "$ex/counter.bpf.o" --hook event
expect_refusal "load: unknown hook" "unknown hook 'nope' (hooks: event, ticks)" H load "$ex/counter.bpf.o" --hook nope "${K[@]}" --name counter --version 1
expect_refusal "load: hook busy" "already runs program $id" H load "$ex/counter.bpf.o" --hook event "${K[@]}" --name counter --version 1
expect_refusal "replace: plain object refused as unsigned" "unsigned" H replace "$id" "$ex/counter_v2.bpf.o"
expect_refusal "replace: signed by a key not in the keyring" "unknown-key" H replace "$id" "$ex/counter_v2.bpf.o" --key "$ex/stranger.key" --name counter --version 1
"$ctl" sign -k "$ex/release.key" -n counter -V 1 -H event -o "$tmp/tampered.bundle" "$ex/counter_v2.bpf.o" >/dev/null
printf '\x5a' | dd of="$tmp/tampered.bundle" bs=1 seek=400 conv=notrunc status=none
expect_refusal "replace: bundle changed after signing" "bad-signature" H replace "$id" "$tmp/tampered.bundle"
"$ctl" sign -k "$ex/release.key" -n counter -V 1 -H other -o "$tmp/other.bundle" "$ex/counter_v2.bpf.o" >/dev/null
expect_refusal "replace: bundle signed for another hook" "signed for hook 'other', not 'event'" H replace "$id" "$tmp/other.bundle"
expect_refusal "replace: verifier refusal with instruction and rule" "insn 1: context field not writable [rule CTX_ACCESS]" H replace "$id" "$ex/bad_write.bpf.o" "${K[@]}" --name bad --version 1
expect_refusal "replace: no program for the hook" "no program in section pdhook/event" H replace "$id" "$ex/other_hook.bpf.o" "${K[@]}" --name other --version 1
head -c 300 "$ex/counter.bpf.o" >"$tmp/truncated.o"
expect_refusal "replace: not an eBPF object the bpf PD can load" "not an eBPF object" H replace "$id" "$tmp/truncated.o" "${K[@]}" --name text --version 1
expect_refusal "replace: unknown id" "no running program has id 9999" H replace 9999 "$ex/counter.bpf.o"
expect_refusal "detach: unknown id" "no running program has id 9999" H detach 9999
expect_refusal "map dump: unknown map" "no running program has a map named 'nomap'" H map dump nomap
expect_refusal "config: value out of range" "takes values from 0 to 1000" H config set worker kind 5000
expect_refusal "config: read-only key" "is read-only" H config set worker events 1
expect_refusal "config: unknown key" "has no key 'speed'" H config set worker speed 1
expect_refusal "config: unknown PD" "PD 'nobody' declares no configurable values (PDs that do: worker, ticker)" H config set nobody x 1
expect_refusal "config: not a number" "is not a decimal 64-bit integer" H config set worker kind 12abc
expect_ok "list after refusals" H list
grep -qE "^$id +event +pdhook/event" <<<"$out" && tap ok "refusals changed nothing (program $id still runs)" || { tap fail "program still runs after refusals"; echo "$out" | sed 's/^/#   /'; }

# configuration reaches the PD and, through it, the programs
expect_ok "config set" H config set worker kind 9
sleep 0.3
expect_ok "map dump after config set" H map dump kinds
grep -qE "^  9 = [1-9]" <<<"$out" && tap ok "programs see the new kind" || { tap fail "programs see the new kind"; echo "$out" | sed 's/^/#   /'; }

# malformed messages: each answered with an error, the agent keeps serving
expect_ok "storm of 500 malformed messages" "$storm" "$sock" 500 7
grep -q "500 messages, 500 responses, agent serving" <<<"$out" && tap ok "every malformed message answered, agent still serving" || { tap fail "storm answers"; echo "$out" | sed 's/^/#   /'; }

# connections that end badly: what each left unfinished is dropped, the
# next connection is greeted and served (tests/control/resync.c)
expect_ok "connections cut short: half messages, half prefixes, garbage, over the limit" "$resync" "$sock" cases 3
grep -q "47 cases, 0 failed, agent serving" <<<"$out" && tap ok "after each, the next connection served and the unfinished message counted" || { tap fail "resync cases"; grep -v ": next connection served" <<<"$out" | sed 's/^/#   /'; }
expect_ok "200 status requests on one connection" "$resync" "$sock" bench 200
sed 's/^/# /' <<<"$out"
cut_before=$(H status | sed -n 's/.*unfinished messages dropped: \([0-9]*\).*/\1/p')
: >"$tmp/half.out"
"$resync" "$sock" half >"$tmp/half.out" 2>&1 &
half=$!
for _ in $(seq 1 50); do grep -q "half a message sent" "$tmp/half.out" && break; sleep 0.1; done
H status >"$tmp/next.out" 2>&1 & # waits behind the half-sent message's connection
next=$!
sleep 0.3
kill -9 "$half"; wait "$half" 2>/dev/null
if wait "$next"; then tap ok "hyposctl queued behind a client killed mid-message is served"; else tap fail "hyposctl after a client killed mid-message"; sed 's/^/#   /' "$tmp/next.out"; fi
cut_after=$(sed -n 's/.*unfinished messages dropped: \([0-9]*\).*/\1/p' "$tmp/next.out")
[[ -n $cut_before && $cut_after == $((cut_before + 1)) ]] && tap ok "the killed client's half message dropped ($cut_before -> $cut_after unfinished)" || { tap fail "half message counted ($cut_before -> $cut_after)"; sed 's/^/#   /' "$tmp/next.out"; }
expect_ok "the next command works" H list
grep -qE "^$id +event +pdhook/event" <<<"$out" && tap ok "and the system is unchanged" || { tap fail "list after the killed client"; echo "$out" | sed 's/^/#   /'; }

# atomic replacement under steady load
start=$SECONDS
ok=1
for i in $(seq 1 "$replacements"); do
  f=$ex/counter_v2.bpf.o; (( i % 2 == 0 )) && f=$ex/counter.bpf.o
  if ! out=$(H replace "$id" "$f" "${K[@]}" --name counter --version "$i" 2>&1); then ok=0; echo "# replacement $i failed: $out"; break; fi
  id=$(sed -n 's/^program \([0-9]*\) attached.*/\1/p' <<<"$out")
  [[ -n $id ]] || { ok=0; echo "# replacement $i: no id in: $out"; break; }
  (( i == 1 )) && grep -q "(2 kept from the running program)" <<<"$out" && tap ok "replacement keeps both maps"
done
secs=$((SECONDS - start))
[[ $ok == 1 ]] && tap ok "$replacements replacements, each attached ($secs s)" || tap fail "$replacements replacements"
expect_refusal "rollback to an older version refused" "rollback" H replace "$id" "$ex/counter.bpf.o" "${K[@]}" --name counter --version 1
expect_ok "pause the worker" H config set worker paused 1
sleep 0.5
expect_ok "config get after replacements" H config get worker
cfg=$out
expect_ok "map dump after replacements" H map dump state
st=$out
events=$(value worker.events "$cfg"); unhandled=$(value worker.unhandled "$cfg"); v1=$(value worker.by_v1 "$cfg")
v2=$(value worker.by_v2 "$cfg"); other=$(value worker.by_other "$cfg"); switches=$(value worker.switches "$cfg")
handled=$(sed -n 's/^  0 = //p' <<<"$st"); last=$(sed -n 's/^  1 = //p' <<<"$st")
gaps=$(sed -n 's/^  2 = //p' <<<"$st"); repeats=$(sed -n 's/^  3 = //p' <<<"$st")
echo "# events $events, handled $handled (v1 $v1, v2 $v2), unhandled $unhandled, gaps $gaps, repeats $repeats, switches $switches"
echo "# switch cost (guest instructions beyond a run): min $(value worker.switch_insns_min "$cfg"), median $(value worker.switch_insns_median "$cfg"), max $(value worker.switch_insns_max "$cfg"); preparation (the run before): median $(value worker.prepare_insns_median "$cfg"); a run: $(value worker.run_insns_min "$cfg")"
[[ -n $events && $unhandled == 0 && $other == 0 ]] && tap ok "no event went unhandled during $replacements replacements ($events events)" || tap fail "no event unhandled (unhandled $unhandled)"
[[ -n $events && $handled == "$events" && $last == "$events" && $((v1 + v2)) == "$events" ]] && tap ok "every event handled exactly once (programs counted $handled of $events)" || tap fail "every event handled once (handled $handled, events $events, v1+v2 $((v1 + v2)))"
[[ $gaps == 0 && $repeats == 0 ]] && tap ok "programs saw no gap and no repeat in the sequence" || tap fail "no gap or repeat (gaps $gaps, repeats $repeats)"
[[ -n $switches && $switches -ge $replacements ]] && tap ok "the worker took over $switches programs" || tap fail "switch count ($switches)"
median=$(value worker.switch_insns_median "$cfg")
[[ -n $median && $median -le 1000 ]] && tap ok "the switch itself costs $median guest instructions (median; at most 1,000)" || tap fail "switch at most 1,000 instructions (median $median)"
expect_ok "resume the worker" H config set worker paused 0

# the load benchmark: a program of about 1,000 instructions
if [[ -f $ex/big.bpf.o ]]; then
  expect_ok "replace with a 1,000-instruction program" "$ctl" -s "$sock" -t 10000 -v replace "$id" "$ex/big.bpf.o" "${K[@]}" --name big --version 1
  sed 's/^/# /' <<<"$out"
  id=$(sed -n 's/^program \([0-9]*\) attached.*/\1/p' <<<"$out")
  sleep 0.2
  cfgb=$(H config get worker)
  echo "# hooking PD: preparation (copy, checks) in the run before the switch $(value worker.last_prepare_insns "$cfgb") guest instructions (a run of the new program included), the switch run $(value worker.last_switch_insns "$cfgb")"
fi

# detach, load again
expect_ok "detach" H detach "$id"
grep -q "program detached" <<<"$out" && tap ok "detached" || tap fail "detached"
expect_ok "list after detach" H list
grep -qE "^- +event +\(none\)" <<<"$out" && tap ok "hook runs nothing after detach" || { tap fail "hook empty after detach"; echo "$out" | sed 's/^/#   /'; }
expect_refusal "map dump after detach" "no running program has a map named 'state'" H map dump state
expect_ok "load" H load "$ex/counter.bpf.o" --hook event "${K[@]}" --name counter --version 5000
grep -q "attached to hook 'event'" <<<"$out" && tap ok "load attaches to the empty hook" || tap fail "load attaches"
# attestation: the signed log of every change, checked against the device key
expect_ok "attest" H attest --device "$ex/device.pub" --max 8 --expect "$meas"
grep -q "attestation verified" <<<"$out" && grep -qE " load +[0-9]+ +counter +5000 +event" <<<"$out" && grep -qE " detach " <<<"$out" &&
  tap ok "attestation verified, the log ends with the detach and the load" || { tap fail "attestation log"; echo "$out" | sed 's/^/#   /'; }
grep -q "boot measurements: all $nboot equal" <<<"$out" && grep -q "($nboot boot measurements," <<<"$out" &&
  tap ok "after every change the boot measurements are still in the log and verify" || { tap fail "boot entries after the changes"; echo "$out" | sed 's/^/#   /'; }
count=$(sed -n "s/.* \([0-9]*\) changes), log digest.*/\1/p" <<<"$out")
[[ -n $count && $count -ge $((replacements + 3)) ]] && tap ok "the log counts $count changes (replacements, configuration, detach, load)" || tap fail "log count ($count)"
expect_refusal "attest against another device key" "attestation refused" H attest --device "$ex/stranger.pub"

# map watch, pushed: a known number of events in bursts while the worker
# is paused; every burst is seen, the last values exact
expect_refusal "map watch: unknown map" "no running program has a map named 'nomap'" H map watch nomap
expect_ok "pause the worker for the watch" H config set worker paused 1
sleep 0.3
# one connection holds the port: the bursts are asked for on the watch's own
expect_ok "map watch while 10 bursts of 100 events are asked for" "$resync" "$sock" watch 10 100
sed 's/^/# /' <<<"$out"
grep -q "every burst seen; .* (exact)" <<<"$out" && tap ok "every burst pushed, the last values exact" || tap fail "watch bursts"
"$ctl" -s "$sock" map watch state --interval 50 >"$tmp/watch.out" 2>&1 &
watch=$!
for _ in $(seq 1 50); do grep -q "program generation" "$tmp/watch.out" && break; sleep 0.1; done
kill "$watch"; wait "$watch" 2>/dev/null # the end of its connection ends the watch
expect_ok "hyposctl served after a watching hyposctl was stopped" H status
expect_ok "resume the worker after the watch" H config set worker paused 0
. tests/control/run_restart.sh
. tests/control/run_trace.sh

expect_ok "status at the end" H status
# faults: only the worker's, on purpose (crash=1, a store to address 0x10)
unexpected=$(grep -E "MON\|ERROR|fault|KERNEL PANIC" "$log" | grep -vE "^MON\|ERROR: (registers:|  )" |
  grep -vE "^MON\|ERROR: worker: VM fault at ip 0x[0-9a-f]+, address 0x0000000000000010, ")
if [[ -n $unexpected ]]; then tap fail "no PD faulted but the worker on purpose"; head -5 <<<"$unexpected" | sed 's/^/#   /'
else tap ok "no PD faulted but the worker on purpose"; fi

# the driver probes the virtio-mmio slots: with another device in front,
# the console sits one slot lower and is found there
kill "$qpid" 2>/dev/null; wait "$qpid" 2>/dev/null
boot -device virtio-rng-device
if grep -q "virtio-console: slot 6 at 0x10007000 (IRQ channel 8)" "$log" && H status >/dev/null 2>&1; then
  tap ok "the driver finds the console in slot 6 behind a virtio-rng device and serves it"
else tap fail "console found in another slot"; grep -E "virtio|agent" "$log" | sed 's/^/#   /'; fi
echo "$((n - failed)) passed, $failed failed"
[[ $failed -eq 0 ]]
