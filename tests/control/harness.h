/* The agent core on the host, as the PD runs it: one hook region (the
 * bpfhook library's test hook "rx", declared as a hooking PD would), a
 * configuration region, and a bpf PD stand-in that does what the bpf PD's
 * control calls do (load the object from the control region, verify and
 * offer the program) with the same libraries. Used by the unit tests and
 * the fuzzer. */
#pragma once
#include "../../system/agent/agent.h"
#include "../../system/bpf/installed.h"
#include <hypos/bpfhook.h>

struct harness {
    struct agent agent;
    struct bpfhook hook;  /* the hooking PD's side */
    uint8_t *hook_region; /* 64 KiB */
    struct pdconfig_region *config;
    struct bpfctl *ctl; /* 64 KiB */
    unsigned config_notified;
};

extern struct harness H;

void harness_init(void);
/* Run the hook once (takes offers over), as the hooking PD would. */
int64_t harness_run(unsigned byte);
/* The hooking PD restarts: it declares the hook again, and the bpf PD
 * stand-in offers what the agent installed (system/bpf/installed.c, the
 * real store) with its tag, as the bpf PD does. 0, or -1. */
int harness_restart(void);
