# Part of tests/control/run.sh (sourced; its helpers and variables): the
# kernel trace hook "ticks" through the agent. The ticker signals the sink
# all the time it gets the CPU; the kernel records each signal into the
# bpf PD's ring, and the hook's program counts the records in the array
# "ticks" (0: all, 1: by version 1, 2: by version 2, 3: other types).
# The ticker starts paused; pausing it drains the ring (ticker.settled = 1), after which the
# count must equal ticker.signals exactly.

# settle : pause the ticker and wait until the ring is drained; signals in $sig
settle() {
  H config set ticker paused 1 >/dev/null
  for _ in $(seq 1 50); do
    cfgt=$(H config get ticker)
    [[ $(value ticker.settled "$cfgt") == 1 ]] && break
    sleep 0.1
  done
  sig=$(value ticker.signals "$cfgt")
}
# counts : ticks/ticks into c0..c3
counts() {
  out=$(H map dump ticks/ticks 2>&1)
  c0=$(sed -n 's/^  0 = //p' <<<"$out"); c1=$(sed -n 's/^  1 = //p' <<<"$out")
  c2=$(sed -n 's/^  2 = //p' <<<"$out"); c3=$(sed -n 's/^  3 = //p' <<<"$out")
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

expect_ok "list shows the trace hook" H list
tid=$(awk '$2 == "ticks" { print $1 }' <<<"$out")
[[ $tid =~ ^[0-9]+$ ]] && grep -qE "^$tid +ticks +trace/ticks .* yes +ticks$" <<<"$out" &&
  tap ok "trace hook 'ticks' runs the image's program $tid as native code" || { tap fail "trace hook listed"; echo "$out" | sed 's/^/#   /'; }

# refusals, each with its reason; nothing changes
expect_refusal "trace: unknown hook" "unknown hook 'tick' (hooks: event, ticks)" H load "$ex/ticks_v2.bpf.o" --hook tick "${K[@]}" --name ticks --version 1
expect_refusal "trace: hook busy" "already runs program $tid" H load "$ex/ticks_v2.bpf.o" --hook ticks "${K[@]}" --name ticks --version 1
expect_refusal "trace: plain object refused as unsigned" "unsigned" H replace "$tid" "$ex/ticks_v2.bpf.o"
expect_refusal "trace: verifier refusal (writes the read-only record) with instruction and rule" \
  "context field not writable [rule CTX_ACCESS]" H replace "$tid" "$ex/ticks_tamper.bpf.o" "${K[@]}" --name ticks --version 1
expect_refusal "trace: a PD hook's program is no trace program" "no program in section trace/ticks" \
  H replace "$tid" "$ex/counter.bpf.o" "${K[@]}" --name ticks --version 1
"$ctl" sign -k "$ex/release.key" -n ticks -V 1 -H ticks -o "$tmp/ticks.bundle" "$ex/ticks_v2.bpf.o" >/dev/null
printf '\x5a' | dd of="$tmp/ticks.bundle" bs=1 seek=400 conv=notrunc status=none
expect_refusal "trace: bundle changed after signing" "bad-signature" H replace "$tid" "$tmp/ticks.bundle"
"$ctl" sign -k "$ex/release.key" -n ticks -V 1 -H event -o "$tmp/ticks_event.bundle" "$ex/ticks_v2.bpf.o" >/dev/null
expect_refusal "trace: bundle signed for another hook" "signed for hook 'event', not 'ticks'" H replace "$tid" "$tmp/ticks_event.bundle"
expect_ok "list after the trace refusals" H list
grep -qE "^$tid +ticks +trace/ticks .* 1 yes +ticks$" <<<"$out" && tap ok "the refusals changed nothing (program $tid, generation 1)" ||
  { tap fail "nothing changed by the refusals"; echo "$out" | sed 's/^/#   /'; }

# replacements under load: every record handled by exactly one program
# (the ticker starts paused, so the tests before saw the worker alone)
H config set ticker paused 0 >/dev/null
sleep 0.3
switch_log=$(grep -c "the first record after the switch took" "$log")
start=$SECONDS
ok=1
takeovers=()
for i in $(seq 1 "$trace_replacements"); do
  f=$ex/ticks_v2.bpf.o; (( i % 2 == 0 )) && f=$ex/ticks.bpf.o
  if ! out=$("$ctl" -s "$sock" -t 10000 -v replace "$tid" "$f" "${K[@]}" --name ticks --version "$i" 2>&1); then ok=0; echo "# trace replacement $i failed: $out"; break; fi
  tid=$(sed -n 's/^program \([0-9]*\) attached.*/\1/p' <<<"$out")
  [[ -n $tid ]] || { ok=0; echo "# trace replacement $i: no id in: $out"; break; }
  takeovers+=("$(sed -n 's/^trace hook: .*answered: \([0-9]*\) guest instructions/\1/p' <<<"$out")")
  (( i == 1 )) && grep -q "(1 kept from the running program)" <<<"$out" && tap ok "trace replacement keeps the map"
done
secs=$((SECONDS - start))
[[ $ok == 1 ]] && tap ok "$trace_replacements trace hook replacements under load, each attached at once ($secs s)" || tap fail "$trace_replacements trace hook replacements"
expect_refusal "trace: rollback to an older version refused" "rollback" H replace "$tid" "$ex/ticks.bpf.o" "${K[@]}" --name ticks --version 1
settle
counts
echo "# trace: ticker signals $sig, records handled $c0 (v1 $c1, v2 $c2, other $c3)"
[[ -n $sig && $sig -gt 0 && $c0 == "$sig" && $((c1 + c2)) == "$sig" && $c3 == 0 ]] &&
  tap ok "every signal's record handled exactly once across $trace_replacements replacements ($c0 of $sig; v1 $c1, v2 $c2)" ||
  tap fail "trace counts exact (signals $sig, handled $c0, v1+v2 $((c1 + c2)), other $c3)"
[[ $c1 -gt 0 && $c2 -gt 0 ]] && tap ok "both versions handled records" || tap fail "both versions ran (v1 $c1, v2 $c2)"
expect_ok "list after the trace replacements" H list
grep -qE "^$tid +ticks +trace/ticks .* yes +ticks$" <<<"$out" && tap ok "the last program still runs as native code (JIT scratch returned each time)" ||
  { tap fail "native code after the replacements"; echo "$out" | sed 's/^/#   /'; }
grep -q "records dropped" "$log" && tap fail "the ring dropped no record" || tap ok "the ring dropped no record"
take=$(printf '%s\n' "${takeovers[@]}" | median)
extra=$(grep "the first record after the switch took" "$log" | tail -n +$((switch_log + 1)) |
  sed -n 's/.*took \([0-9]*\) instructions, the next \([0-9]*\)/\1 \2/p' | awk '{ print $1 - $2 }')
nextra=$(wc -l <<<"$extra")
emed=$(median <<<"$extra"); emax=$(sort -n <<<"$extra" | tail -1)
echo "# trace switch: take-over in the control call median $take guest instructions; first record after the switch beyond the next: median $emed, max $emax (of $nextra switches)"
[[ -n $emed && $emed -le 0 ]] && tap ok "the switch costs the records nothing: the first record after it runs as the next (median $emed extra)" ||
  tap fail "first record after the switch (median extra $emed)"

# detach: records are counted only; load: a fresh map counts from then on
expect_ok "trace: detach" H detach "$tid"
grep -q "program detached" <<<"$out" && tap ok "trace hook detached" || tap fail "trace hook detached"
expect_ok "list after the trace detach" H list
grep -qE "^- +ticks +\(none\)" <<<"$out" && tap ok "trace hook runs nothing after detach" || { tap fail "trace hook empty"; echo "$out" | sed 's/^/#   /'; }
expect_refusal "trace: map gone after detach" "no running program has a map named 'ticks/ticks'" H map dump ticks/ticks
H config set ticker paused 0 >/dev/null
sleep 0.3
settle
before=$sig
expect_ok "trace: load into the empty trace hook" H load "$ex/ticks_v2.bpf.o" --hook ticks "${K[@]}" --name ticks --version $((trace_replacements + 1))
grep -q "attached to hook 'ticks'" <<<"$out" && tap ok "load attaches to the trace hook at once" || tap fail "trace load attaches"
H config set ticker paused 0 >/dev/null
sleep 0.5
settle
counts
[[ $c0 == $((sig - before)) && $c2 == "$c0" && $c1 == 0 && $c0 -gt 0 ]] &&
  tap ok "the loaded program counted exactly the signals since the load ($c0 of $((sig - before)))" ||
  tap fail "counts after the load (handled $c0, v2 $c2, signals since the load $((sig - before)))"
expect_ok "attest after the trace changes" H attest --device "$ex/device.pub" --max 8
grep -q "attestation verified" <<<"$out" && grep -qE " load +[0-9]+ +ticks +$((trace_replacements + 1)) +ticks" <<<"$out" &&
  grep -qE " detach " <<<"$out" && tap ok "the trace hook's detach and load are in the signed log" ||
  { tap fail "trace changes in the log"; echo "$out" | sed 's/^/#   /'; }
H config set ticker paused 0 >/dev/null
