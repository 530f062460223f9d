/* The protection-domain ABI of Microkit-compatible systems on hypOS: where
 * a PD finds its capabilities, how badges encode events, and the layout of
 * its address space. The tool lays systems out by these numbers and
 * libmicrokit relies on them, so they live in one header. */
#pragma once
#include <stdint.h>

/* CSpace: one CNode of 2^PD_CNODE_BITS slots, guard 64 - bits, so a slot
 * number is its cptr. */
#define PD_CNODE_BITS 9
#define PD_INPUT_CAP 1      /* endpoint if the PD has one, else its notification */
#define PD_FAULT_EP_CAP 2   /* hypOS (non-MCS): where this PD's faults go, badged */
#define PD_REPLY_CAP 4      /* MCS: the reply object every receive names */
#define PD_MONITOR_EP_CAP 5 /* MCS, passive PDs: asks the monitor to make the PD passive */
#define PD_TCB_CAP 6
/* hypOS, PDs with a <map hypos:jit_write="SYMBOL">: a copy of the PD's own
 * VSpace root cap, and read-write caps to the frames of such maps' regions
 * (the first at PD_FRAME_CAP_BASE, the rest after it, map after map), so
 * that the PD maps the writable view of a JIT code area only while it
 * writes code there (docs/bpf-jit.md, "W^X"). Microkit leaves these slots
 * empty on riscv64 (3) or gives them to ARM virtual machines (266-393). */
#define PD_VSPACE_CAP 3
#define PD_FRAME_CAP_BASE 266
#define PD_MAX_FRAME_CAPS 128
#define PD_NOTIFICATION_BASE 10 /* + channel id: notification of the peer, badged */
#define PD_PPC_BASE 74          /* + channel id: endpoint of the peer, badged */
#define PD_IRQ_BASE 138         /* + channel id: IRQ handler */
#define PD_CHILD_TCB_BASE 202   /* + child id */
#define PD_MAX_ID 61            /* channel, IRQ and child ids are 0..61 */
#define PD_MAX_PDS 63

/* Badges */
#define PD_BADGE_PPC (1ull << 63)   /* | channel id the callee sees */
#define PD_BADGE_FAULT (1ull << 62) /* | child id, on the parent's endpoint */

/* Address space (Sv39): programs are linked at PD_PROGRAM_BASE; the top
 * page below seL4_UserTop is the IPC buffer, then one unmapped guard
 * page, then the stack growing down from PD_STACK_TOP. Every other
 * mapping lies below the stack's bottom. */
#define PD_PROGRAM_BASE 0x200000ull
#define PD_IPC_BUFFER 0x3fffffe000ull
#define PD_STACK_TOP 0x3fffffd000ull
#define PD_DEFAULT_STACK 0x2000ull

/* Monitor: its CNode holds every PD's TCB at MONITOR_TCB_BASE + PD index,
 * and faults of PDs without a parent arrive with badge PD index + 1. */
#define MONITOR_TCB_BASE 10
/* MCS: every PD's scheduling context and notification, for passive PDs */
#define MONITOR_SC_BASE 80
#define MONITOR_NOTIFICATION_BASE 150
/* MCS: every passive PD's CNode, the monitor's own CNode and a free slot:
 * the monitor answers the caller of a passive PD that faulted inside
 * protected() through the PD's reply object, which it moves here and back */
#define MONITOR_CNODE_BASE 220
#define MONITOR_SELF_CNODE 300
#define MONITOR_SCRATCH_SLOT 301
/* The answer such a caller gets: this label and no words (microkit_ppcall
 * returns it; Microkit gives labels no meaning of its own) */
#define MICROKIT_PPC_FAULTED_LABEL 0xfa17ull
/* Where the monitor sees the pages it reloads when it restarts a PD: the
 * live writable pages, their pristine copies 1 GiB above, the stack pages
 * 2 GiB above. */
#define MONITOR_RELOAD_WINDOW 0x1000000000ull
/* Restart periods: the monitor reads the time from QEMU virt's real-time
 * clock (goldfish RTC: nanoseconds, TIME_LOW at 0 latches TIME_HIGH at 4),
 * mapped read-only at this address when some PD has a restart period. */
#define MONITOR_RTC_PADDR 0x101000ull
#define MONITOR_RTC_VADDR 0x0f00000000ull
/* With a restart period, max_restarts is at most this (the monitor keeps
 * the times of the last max_restarts restarts). */
#define MONITOR_MAX_RESTARTS_PER_PERIOD 16
#define PD_NAME_LEN 64

/* What the tool writes into the symbol a hypos:jit_write map names (which
 * must be read-only data: a write bug in the PD must not be able to point
 * the next mapping elsewhere). The writable view of the region goes at
 * vaddr, frame i (page_bits each) with the cap at first_cap + i. */
struct microkit_hypos_frames {
    uint64_t vaddr;
    uint64_t size;
    uint64_t first_cap;
    uint64_t n_frames;
    uint64_t page_bits;
};
