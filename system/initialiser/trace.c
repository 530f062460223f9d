/* The initialiser's trace part: kernel trace rings and hooks of the
 * specification (trace_spec.h), set up with the trace control cap the
 * kernel gives the root task, after every capability is in place and
 * before any thread runs, so that the first events are recorded. The
 * system does not depend on its tracing: a call the kernel refuses (a
 * kernel without trace support among them) is reported and the rest of
 * the system starts all the same. */
#include "trace.h"
#include <hypos/trace.h>
#include <stdio.h>

static bool report(const char *what, uint32_t index, int err)
{
    if (err)
        printf("initialiser: trace %s %u failed: seL4 error %d; the system runs without it\n", what, index, err);
    return err == 0;
}

void trace_setup(const spec_header_t *h, const char *spec, seL4_CPtr (*obj)(uint32_t), seL4_CPtr (*extra)(uint32_t))
{
    const spec_trace_ring_t *rings = (const spec_trace_ring_t *)(spec + h->off_trace_rings);
    const spec_trace_hook_t *hooks = (const spec_trace_hook_t *)(spec + h->off_trace_hooks);
    uint32_t ring_ok = 0; /* bit r: ring r is set up */
    for (uint32_t i = 0; i < h->n_trace_rings; i++) {
        const spec_trace_ring_t *r = &rings[i];
        if (!report("badging ring notification", i,
                    seL4_CNode_Mint(seL4_CapInitThreadCNode, extra(r->badged), seL4_WordBits, seL4_CapInitThreadCNode,
                                    obj(r->notification), seL4_WordBits, seL4_AllRights, r->badge)))
            continue;
        if (report("ring", r->ring,
                   hypOS_TraceControl_SetRing(hypOS_CapTraceControl, r->ring, obj(r->frame), extra(r->badged),
                                              r->threshold)))
            ring_ok |= 1u << r->ring;
    }
    for (uint32_t i = 0; i < h->n_trace_hooks; i++) {
        const spec_trace_hook_t *k = &hooks[i];
        if (!(ring_ok >> k->ring & 1))
            continue;
        seL4_CPtr object = k->kind == SPEC_TRACE_SYSTEM ? hypOS_CapTraceControl
                           : k->kind == SPEC_TRACE_IRQ  ? extra(k->object)
                                                        : obj(k->object);
        hypOS_TraceControl_Hook_t r =
            hypOS_TraceControl_Hook(hypOS_CapTraceControl, object, k->ring, k->events, k->cookie);
        report("hook", i, r.error);
    }
}
