#!/usr/bin/env bash
# Host tests of the microkit tool's checks. Every tests/tools/bad/*.system
# carries "<!-- expect: LINE:COL: error: MESSAGE -->": the tool must refuse
# the file with exit status 1 and print exactly one diagnostic
# "FILE:LINE:COL: error: ..." containing MESSAGE. Every example system
# must be accepted. One TAP line per file, numbered TOOL0001...
# A tool whose SDK is built for the MCS kernel (make MCS=1 sdk) also gets
# tests/tools/bad-mcs/*.system (budgets, periods, passive PDs) and the
# MCS-only examples, while the bad/*-mcs.system cases (refusals of a
# non-MCS SDK) are left out.
#   tests/tools/run.sh [MICROKIT] [PD_ELF_DIR] [EXAMPLES_BUILD_DIR]
set -u
cd "$(dirname "$0")/../.."
tool=${1:-build/sdk/bin/microkit}
elfdir=${2:-build/debug/examples/hello-system}
exdir=${3:-build/debug/examples}
mcs=0
grep -qs -- '-DHYPOS_MCS' "$(dirname "$(dirname "$tool")")/board/qemu_virt_riscv64/debug/elf/flags" && mcs=1
n=0; failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$(type -P true)" "$tmp/host.elf"   # an ELF file for the wrong machine

tap() { n=$((n + 1)); local id; id=$(printf '%s%04d' "${TAP_PREFIX:-TOOL}" "$n")
  if [[ $1 == ok ]]; then echo "ok $n $id $2"; else echo "not ok $n $id $2"; failed=$((failed + 1)); fi; }

if [[ ! -x $tool || ! -f $elfdir/hello.elf ]]; then
  echo "not ok 1 TOOL0001 $tool and $elfdir/hello.elf exist (make sdk systems)"; echo "0 passed, 1 failed"; exit 1
fi

cases=(tests/tools/bad/*.system)
if [[ $mcs == 1 ]]; then
  cases=($(printf '%s\n' "${cases[@]}" | grep -v -- '-mcs\.system$') tests/tools/bad-mcs/*.system)
fi
cases+=(tests/tools/bad-trace/*.system) # hypOS trace rings and hooks (gen_trace_cases.py)
for f in "${cases[@]}"; do
  want=$(sed -n 's/^<!-- expect: \(.*\) -->$/\1/p' "$f" | head -1)
  pos=${want%%: error: *}; msg=${want#*: error: }
  out=$("$tool" "$f" --board qemu_virt_riscv64 --config debug --check-only --search-path "$elfdir" \
        --search-path tests/tools/data --search-path "$tmp" -o "$tmp/x.img" -r "$tmp/r.txt" 2>&1)
  rc=$?
  name=$(basename "$f" .system)
  lines=$(printf '%s\n' "$out" | grep -c 'error:')
  if [[ $rc -eq 1 && $lines -eq 1 && $out == "$f:$pos: error: "*"$msg"* ]]; then tap ok "$name: $pos $msg"
  else tap fail "$name: want '$f:$pos: error: ...$msg' (exit 1), got exit $rc: $out"; fi
done

# Whether a system fits is decided against the kernel's boot untyped list,
# which the tool replays for the board and the image it links: these
# build the image (tests/tools/fit/) and must be refused with the line of
# what does not fit
for f in tests/tools/fit/*.system; do
  want=$(sed -n 's/^<!-- expect: \(.*\) -->$/\1/p' "$f" | head -1)
  pos=${want%%: error: *}; msg=${want#*: error: }
  out=$("$tool" "$f" --board qemu_virt_riscv64 --config debug --search-path "$elfdir" -o "$tmp/fit.img" \
        -r "$tmp/r.txt" 2>&1)
  rc=$?
  name=$(basename "$f" .system)
  if [[ $rc -eq 1 && $(printf '%s\n' "$out" | grep -c 'error:') -eq 1 && $out == "$f:$pos: error: "*"$msg"* ]]
  then tap ok "does not fit: $name: $pos $msg"
  else tap fail "does not fit: $name: want '$f:$pos: error: ...$msg' (exit 1), got exit $rc: $out"; fi
done

# setvar region_paddr of a region without phys_addr: the region's three
# frames are placed one after the other, and its address (the report's
# first frame) is in the image where the placeholder was
if "$tool" tests/tools/data/region-paddr.system --board qemu_virt_riscv64 --config debug --search-path "$elfdir" \
     -o "$tmp/rp.img" -r "$tmp/rp.txt" 2>"$tmp/e"; then
  mapfile -t addrs < <(sed -n "s/^object [0-9]* at \(0x[0-9a-f]*\) .*4 KiB frame of memory region 'dma'.*/\1/p" "$tmp/rp.txt")
  if [[ ${#addrs[@]} -eq 3 ]] && (( addrs[1] == addrs[0] + 4096 && addrs[2] == addrs[1] + 4096 )) &&
     python3 -c 'import sys,struct; d=open(sys.argv[1],"rb").read(); sys.exit(0 if struct.pack("<Q", int(sys.argv[2], 16)) in d and struct.pack("<Q", 0x5e7a5e7a5e7a5e7a) not in d else 1)' "$tmp/rp.img" "${addrs[0]}"
  then tap ok "setvar region_paddr of a placed region: ${addrs[0]}, contiguous, written into the image"
  else tap fail "setvar region_paddr of a placed region: frames '${addrs[*]}' not contiguous or address not in the image"; fi
else tap fail "setvar region_paddr of a placed region: $(cat "$tmp/e")"; fi

# setvar_prefill_size: the prefill file's length in bytes goes into the symbol
if "$tool" tests/tools/data/prefill-size.system --board qemu_virt_riscv64 --config debug --search-path "$elfdir" \
     -o "$tmp/ps.img" -r "$tmp/ps.txt" 2>"$tmp/e" &&
   grep -qF "set microkit_irqs to $(stat -c %s "$elfdir/hello.elf") (line 7)" "$tmp/ps.txt"; then
  tap ok "setvar_prefill_size is the prefill file's length"
else tap fail "setvar_prefill_size is the prefill file's length: $(cat "$tmp/e"; grep -F 'set ' "$tmp/ps.txt")"; fi

# examples find the SDK's ready-made PDs (the bpf PD) after their own programs
board=$(dirname "$(dirname "$tool")")/board/qemu_virt_riscv64/debug
for s in examples/*/*.system; do
  ex=$(basename "$(dirname "$s")")
  [[ $mcs == 0 && -f examples/$ex/MCS_ONLY ]] && continue
  out=$("$tool" "$s" --board qemu_virt_riscv64 --config debug --check-only --search-path "$exdir/$ex" \
        --search-path "$board/pd" -o "$tmp/x.img" -r "$tmp/r.txt" 2>&1)
  if [[ $? -eq 0 && -z $out ]]; then tap ok "accepts $s"; else tap fail "accepts $s: $out"; fi
done

# eBPF objects given to the bpf PD are verified at build time against the
# hook declarations in PD images (the bpf-filter example's build products)
bpf_case() { # file line:col message
  local out rc
  out=$("$tool" "tests/tools/bpf/$1" --board qemu_virt_riscv64 --config debug --check-only \
        --search-path build/debug/examples/bpf-filter --search-path "$board/pd" -o "$tmp/x.img" -r "$tmp/r.txt" 2>&1)
  rc=$?
  if [[ $rc -eq 1 && $(printf '%s\n' "$out" | grep -c 'error:') -eq 1 && $out == "tests/tools/bpf/$1:$2: error: "*"$3"* ]]
  then tap ok "bpf: $1 $2 $3"; else tap fail "bpf: $1: want '$2: error: ...$3' (exit 1), got exit $rc: $out"; fi
}
bpf_case refused-program.system 13:9 "program 'sneaky' of build/debug/examples/bpf-filter/sneaky.bpf.o (section pdhook/rx_filter) for hook 'rx_filter' of 'serial' is refused: insn 1: context field not writable [rule CTX_ACCESS]"
bpf_case not-an-object.system 7:9 "is not an eBPF object the bpf PD can load: []+0x10: not a relocatable object (e_type 2)"
bpf_case duplicate-hook.system 9:24 "hook 'rx_filter' is declared by both 'serial' and 'serial2'"
# programs of kernel trace hooks (the bpf-trace example's build products)
trace_case() { # file line:col message
  local out rc
  out=$("$tool" "tests/tools/bpf/$1" --board qemu_virt_riscv64 --config debug --check-only \
        --search-path build/debug/examples/bpf-trace --search-path "$board/pd" -o "$tmp/x.img" -r "$tmp/r.txt" 2>&1)
  rc=$?
  if [[ $rc -eq 1 && $(printf '%s\n' "$out" | grep -c 'error:') -eq 1 && $out == "tests/tools/bpf/$1:$2: error: "*"$3"* ]]
  then tap ok "trace: $1 $2 $3"; else tap fail "trace: $1: want '$2: error: ...$3' (exit 1), got exit $rc: $out"; fi
}
trace_case trace-refused.system 10:9 "program 'tamper' of build/debug/examples/bpf-trace/tamper.bpf.o (section trace/server_ipc) for trace hook 'server_ipc' is refused: insn 1: context field not writable [rule CTX_ACCESS]"
trace_case trace-no-hook.system 9:9 "is for trace hook 'server_ipc', which has no region (mr) to run it in"
# hypOS elements for the bpf PD's objects and PD hooks (gen_bpf_cases.py):
# each mistake refused at its line and column, with the bpf-filter
# example's build products (a driver declaring rx_filter, programs for it)
for f in tests/tools/bad-bpf/*.system; do
  want=$(sed -n 's/^<!-- expect: \(.*\) -->$/\1/p' "$f" | head -1)
  pos=${want%%: error: *}; msg=${want#*: error: }
  out=$("$tool" "$f" --board qemu_virt_riscv64 --config debug --check-only --search-path "$exdir/bpf-filter" \
        --search-path "$board/pd" -o "$tmp/x.img" -r "$tmp/r.txt" 2>&1)
  rc=$?
  name=$(basename "$f" .system)
  if [[ $rc -eq 1 && $(printf '%s\n' "$out" | grep -c 'error:') -eq 1 && $out == "$f:$pos: error: "*"$msg"* ]]
  then tap ok "bpf PD: $name: $pos $msg"
  else tap fail "bpf PD: $name: want '$f:$pos: error: ...$msg' (exit 1), got exit $rc: $out"; fi
done
# the setvar names alone still configure the bpf PD (the bpf-filter
# example as it was written before the elements)
out=$("$tool" tests/tools/bpf/setvar-conventions.system --board qemu_virt_riscv64 --config debug --check-only \
      --search-path "$exdir/bpf-filter" --search-path "$board/pd" -o "$tmp/x.img" -r "$tmp/r.txt" 2>&1)
if [[ $? -eq 0 && -z $out ]]; then tap ok "bpf PD: a file with setvar names only is accepted"
else tap fail "bpf PD: a file with setvar names only is accepted: $out"; fi
# both ways in one file: the elements take the names the file's own maps
# leave free, and the report says where the tool put what
if "$tool" tests/tools/bpf/mixed.system --board qemu_virt_riscv64 --config debug --search-path "$exdir/bpf-filter" \
     --search-path "$board/pd" -o "$tmp/mx.img" -r "$tmp/mx.txt" 2>"$tmp/e"; then
  missing=
  for want in "given to bpf as bpf_object1 at 0x2000000000" "map hypos_bpf_object1 at 0x2000000000 (r, 0x2000 bytes)" \
              "pd hook 'rx_filter' (line 21) of serial: region rx_hook (0x10000 bytes) at 0x2000000000 (rx_hook), given to bpf as bpf_hook1 at 0x21000000" \
              "map rx_hook at 0x21000000 (rw, 0x10000 bytes)" "map first_obj at 0x10100000 (r, 0x2000 bytes)"; do
    grep -qF -- "$want" "$tmp/mx.txt" || missing+=" '$want'"
  done
  if [[ -z $missing ]]; then tap ok "bpf PD: elements take the next free bpf_objectN and bpf_hookN; the report says where"
  else tap fail "bpf PD: the report of mixed.system lacks$missing"; fi
else tap fail "bpf PD: mixed.system is built: $(cat "$tmp/e")"; fi
# the report lists trace rings and hooks with the kernel hooks and cookies they become
if "$tool" examples/bpf-trace/bpf-trace.system --board qemu_virt_riscv64 --config debug \
     --search-path "$exdir/bpf-trace" --search-path "$board/pd" -o "$tmp/bt.img" -r "$tmp/bt.txt" 2>"$tmp/e"; then
  missing=
  for want in "trace ring 0 'events': region ring (63 records), consumed by bpf, notified on channel 5 after 16 unread" \
              "trace hook 0 'server_ipc' -> ring 'events', events call reply, programs and maps in region lat_hook" \
              "kernel hook on the endpoint of server, cookie 0x100" "kernel hook on the thread of crasher, cookie 0x301" \
              "map hypos_trace_jit_bpf at 0x3e00000000 (rw, 0x8000 bytes)" \
              "map hypos_trace_jit_bpf at 0x3dc0000000 (rx, 0x8000 bytes)"; do
    grep -qF -- "$want" "$tmp/bt.txt" || missing+=" '$want'"
  done
  if [[ -z $missing ]]; then tap ok "the report lists trace rings, hooks, their kernel hooks and the default JIT region"
  else tap fail "the report lacks$missing"; fi
else tap fail "the report of bpf-trace is written: $(cat "$tmp/e")"; fi

# the command line: a board other than qemu_virt_riscv64 and an unknown config are refused
if ! "$tool" examples/hello-system/hello.system --board odroidc4 --config debug --check-only 2>"$tmp/e" &&
   grep -q "board 'odroidc4' is not supported" "$tmp/e"; then tap ok "refuses an unsupported board"
else tap fail "refuses an unsupported board: $(cat "$tmp/e")"; fi
if ! "$tool" examples/hello-system/hello.system --board qemu_virt_riscv64 --config fast --check-only 2>"$tmp/e" &&
   grep -q "config 'fast' is not one of" "$tmp/e"; then tap ok "refuses an unknown config"
else tap fail "refuses an unknown config: $(cat "$tmp/e")"; fi

# a PD built from the SDK alone, as a Microkit Makefile does it (compile with
# the board's include directory, link with ld, -lmicrokit and microkit.ld),
# then an image from it
if riscv64-unknown-elf-gcc -c -nostdlib -ffreestanding -O2 -Wall -Werror -march=rv64imafdc_zicsr_zifencei -mabi=lp64d \
     -I"$board/include" examples/hello-system/hello.c -o "$tmp/sdkhello.o" 2>"$tmp/e" &&
   riscv64-unknown-elf-ld -L"$board/lib" "$tmp/sdkhello.o" -lmicrokit -Tmicrokit.ld -o "$tmp/hello.elf" 2>>"$tmp/e" &&
   grep -q '^#define CONFIG_SEL4_ARCH  riscv64$' "$board/include/kernel/gen_config.h" &&
   "$tool" examples/hello-system/hello.system --board qemu_virt_riscv64 --config debug --search-path "$tmp" \
     -o "$tmp/sdk.img" -r "$tmp/r.txt" 2>>"$tmp/e" && [[ -s $tmp/sdk.img ]]; then
  tap ok "a PD builds against the SDK alone and becomes an image"
else tap fail "a PD builds against the SDK alone and becomes an image: $(cat "$tmp/e")"; fi

# the report: every PD's priority, objects, maps and caps with slots and
# badges, the restart policy with its period, and the monitor's clock
rep=$tmp/report.txt
if "$tool" examples/recover-rate/recover-rate.system --board qemu_virt_riscv64 --config debug \
     --search-path "$exdir/recover-rate" -o "$tmp/rr.img" -r "$rep" 2>"$tmp/e"; then
  missing=
  for want in "PD burst (index 0)" "tcb: priority 90" "objects of sporadic: TCB, CNode of 512 slots" \
              "map sporadic_log at 0x4000000 (rw, 0x1000 bytes)" "cap sporadic slot 2: fault endpoint" \
              "boot memory (replayed for qemu_virt_riscv64, -m size=2G): RAM 0x80000000-0x100000000" \
              "boot untyped 0: 0x" "(untyped 0): " "TCB of protection domain 'sporadic' (line " \
              "restart policy of burst: at most 2 restarts per 60000000 us" \
              "restart policy of sporadic: at most 1 restarts per 50000 us" "map the real-time clock (0x101000)" \
              "specification: "; do
    grep -qF -- "$want" "$rep" || missing+=" '$want'"
  done
  if [[ -z $missing ]]; then tap ok "the report names priorities, objects, maps, caps and restart policies"
  else tap fail "the report lacks$missing"; fi
else tap fail "the report of recover-rate is written: $(cat "$tmp/e")"; fi

# MCS: the report names budgets, periods, passive PDs and the SC and reply
# object of each PD
if [[ $mcs == 1 ]]; then
  if "$tool" examples/passive-server/passive-server.system --board qemu_virt_riscv64 --config debug \
       --search-path "$exdir/passive-server" -o "$tmp/ps.img" -r "$rep" 2>"$tmp/e"; then
    missing=
    for want in "config debug, MCS kernel" "tcb: priority 100, budget 500 us, period 20000 us," \
                "tcb: priority 200, budget 1000 us, period 1000 us, passive after init" \
                "notification, endpoint, scheduling context, reply object" "cap server slot 4: reply object" \
                "cap server slot 5: monitor endpoint (passive PD)" "cap monitor slot 81: scheduling context of a PD" \
                "cap monitor slot 151: notification of a PD"; do
      grep -qF -- "$want" "$rep" || missing+=" '$want'"
    done
    if [[ -z $missing ]]; then tap ok "MCS: the report names budgets, periods, passive PDs, SCs and reply objects"
    else tap fail "MCS: the report lacks$missing"; fi
  else tap fail "MCS: the report of passive-server is written: $(cat "$tmp/e")"; fi
fi

# the parser and checks under libFuzzer (ASan, UBSan) for a bounded time,
# seeded with every file above; FUZZ_SDF_SECONDS=N for longer runs. An
# input that takes over 20 s is a finding (libFuzzer's -timeout names it);
# the outer limit only catches a stalled run, with room for a busy host.
fuzzer=build/host/microkit/fuzz_sdf
if [[ $mcs == 1 ]]; then
  : # fuzzed once, with the non-MCS tool's run (the fuzzer covers both configurations)
elif [[ -x $fuzzer ]]; then
  secs=${FUZZ_SDF_SECONDS:-10}
  mkdir -p "$tmp/corpus"
  cp tests/tools/bad/*.system tests/tools/bad-mcs/*.system tests/tools/bad-trace/*.system tests/tools/bad-bpf/*.system examples/*/*.system "$tmp/corpus/"
  monitor=$(dirname "$(dirname "$tool")")/board/qemu_virt_riscv64/debug/elf/monitor.elf
  if FUZZ_SEARCH=$PWD/$elfdir FUZZ_MONITOR=$PWD/$monitor ASAN_OPTIONS=detect_leaks=0 timeout $((secs + 240)) "$fuzzer" -max_total_time="$secs" \
       -timeout=20 -max_len=8192 -artifact_prefix="$tmp/" "$tmp/corpus" >"$tmp/fuzz.log" 2>&1; then
    tap ok "parser, checks and layout fuzzed for ${secs}s: $(grep -o 'Done [0-9]* runs' "$tmp/fuzz.log") without a finding"
  else
    tap fail "parser, checks and layout fuzzed for ${secs}s: $(grep -m3 -E 'ERROR|SUMMARY|crash-|oom|timeout' "$tmp/fuzz.log")"
    tail -15 "$tmp/fuzz.log" | sed 's/^/#   /'
    cp "$tmp"/crash-* "$tmp"/oom-* "$tmp"/timeout-* build/host/microkit/ 2>/dev/null
  fi
else
  tap fail "the parser fuzzer $fuzzer is built (make $fuzzer)"
fi

echo "$((n - failed)) passed, $failed failed"
[[ $failed -eq 0 ]]
