# Part of tests/control/run.sh (sourced; its helpers and variables): a
# restart of the hooking PD brings back what the agent installed, not the
# program the image was built with (counter.bpf.o, version 1 in the
# verdicts). The worker crashes on request (crash=1) and the monitor
# restarts it (hypos:max_restarts); it declares its hook again and the bpf
# PD offers the agent's program, verified again against the new
# declaration, under the same id.

# wait_log TEXT COUNT : the console shows TEXT at least COUNT times (10 s at most)
wait_log() {
  for _ in $(seq 1 50); do
    [[ $(grep -cF -- "$1" "$log") -ge $2 ]] && return 0
    sleep 0.2
  done
  return 1
}

expect_ok "list before the restart" H list
rid=$(awk '$2 == "event" { print $1 }' <<<"$out")
expect_ok "replace with version 2 before the restart" H replace "$rid" "$ex/counter_v2.bpf.o" "${K[@]}" --name counter --version 6000
rid=$(sed -n 's/^program \([0-9]*\) attached.*/\1/p' <<<"$out")
expect_ok "crash the worker" H config set worker crash 1
if wait_log "worker: reloaded data, bss and stack and restarted" 1 && wait_log "worker: producing events" 2 &&
  wait_log "bpf: hook 'event': declared again; the control agent's program offered" 1; then
  tap ok "the monitor restarted the worker, the bpf PD offered the agent's program again"
else
  tap fail "worker restarted and the agent's program offered again"; tail -8 "$log" | sed 's/^/#   /'
fi
sleep 0.5
expect_ok "list after the restart" H list
grep -qE "^$rid +event +pdhook/event " <<<"$out" && tap ok "after the restart program $rid (the agent's) runs, under the same id" ||
  { tap fail "the agent's program runs after the restart"; echo "$out" | sed 's/^/#   /'; }
expect_ok "config get after the restart" H config get worker
ev=$(value worker.events "$out"); b1=$(value worker.by_v1 "$out"); b2=$(value worker.by_v2 "$out"); un=$(value worker.unhandled "$out")
[[ -n $ev && $ev -gt 0 && $b2 == "$ev" && $b1 == 0 && $un == 0 ]] &&
  tap ok "every event since the restart handled by the installed version 2 ($b2 of $ev), none by the image's, none unhandled" ||
  tap fail "events after the restart (events $ev, v1 $b1, v2 $b2, unhandled $un)"

# a detached hook stays empty across a restart
expect_ok "detach before a restart" H detach "$rid"
expect_ok "crash the worker again" H config set worker crash 1
if wait_log "worker: producing events" 3 && wait_log "the control agent detached its program, so none is offered" 1; then
  tap ok "restarted again; the bpf PD offers nothing (the agent detached the program)"
else
  tap fail "second restart"; tail -8 "$log" | sed 's/^/#   /'
fi
sleep 0.5
expect_ok "list after the second restart" H list
grep -qE "^- +event +\(none\)" <<<"$out" && tap ok "the hook stays empty: the image's program does not come back" ||
  { tap fail "hook empty after the restart"; echo "$out" | sed 's/^/#   /'; }
expect_ok "load after the restarts" H load "$ex/counter.bpf.o" --hook event "${K[@]}" --name counter --version 6001
grep -q "attached to hook 'event'" <<<"$out" && tap ok "load into the restarted hook" || tap fail "load into the restarted hook"
