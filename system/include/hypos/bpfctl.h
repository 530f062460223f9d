/* The control agent's requests to the bpf PD: the agent writes a request
 * (and, for an offer, an eBPF object) into a region both map read-write and
 * makes a protected procedure call to the bpf PD with the operation as the
 * label; the bpf PD loads and verifies the object, offers the program to
 * the hook (hypos/bpfhook.h) and answers in the same region before it
 * returns. Only the agent holds this channel, so only the agent can
 * change what runs in a hook after boot.
 *
 * The bpf PD trusts nothing in the region: it copies the request, bounds
 * the object by the region's size, and checks the object as it would one
 * built into the image. */
#ifndef HYPOS_BPFCTL_H
#define HYPOS_BPFCTL_H
#include <stdint.h>

#define BPFCTL_OP_OFFER 1  /* verify and offer object's program for hook */
#define BPFCTL_OP_DETACH 2 /* offer "no program" to hook */

#define BPFCTL_HEADER 4096 /* the object starts here */

struct bpfctl {
    /* agent */
    char hook[32];
    char program[32];    /* "" : the program whose section is pdhook/<hook> (trace/<hook> for a trace hook) */
    uint64_t object_len; /* bytes at BPFCTL_HEADER */
    /* bpf PD */
    int32_t rc;         /* 0 or a negative errno (bpf/bpf.h numbers) */
    uint32_t offer_seq; /* the offer's number: attached when the hook's live_seq reaches it */
    uint32_t ninsns, nmaps;
    uint32_t carried; /* maps laid out to be kept from the live program */
    uint32_t reserved;
    char program_name[32];
    char message[240];
    /* what the request cost the bpf PD (instret: guest instructions under
     * QEMU -icount; 0 where user mode cannot read the counter) */
    uint64_t insns_load, insns_verify;
    /* agent: the id the program gets (the hook region's offer_tag) */
    uint32_t prog_id;
    /* bpf PD: 1 when hook names a kernel trace hook (the bpf PD runs its
     * programs itself, between two records: the program is taken over
     * before the call returns, and insns_switch is what that cost) */
    uint32_t trace;
    uint64_t insns_switch;
};

#endif
