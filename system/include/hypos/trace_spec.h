/* The trace part of a system specification (spec.h): the kernel trace
 * rings and hooks the initialiser sets up with the trace control cap
 * after it has placed every capability and before the threads start.
 * Object numbers are indices into the object table, like everywhere in
 * the specification; extra slots as there. */
#pragma once
#include <stdint.h>

typedef struct spec_trace_ring {
    uint32_t ring;         /* kernel ring number 0..7 */
    uint32_t frame;        /* object: the one frame of the ring's region */
    uint32_t notification; /* object: the consumer PD's notification */
    uint32_t badged;       /* extra slot for its copy badged for the ring's channel */
    uint64_t badge;
    uint32_t threshold;
    uint32_t pad;
} spec_trace_ring_t;

enum spec_trace_kind {
    SPEC_TRACE_ENDPOINT = 0,     /* object: an endpoint */
    SPEC_TRACE_NOTIFICATION = 1, /* object: a notification */
    SPEC_TRACE_THREAD = 2,       /* object: a TCB */
    SPEC_TRACE_IRQ = 3,          /* object: the extra slot of an IRQ handler */
    SPEC_TRACE_SYSTEM = 4,       /* the trace control cap itself */
};

typedef struct spec_trace_hook {
    uint32_t kind; /* enum spec_trace_kind */
    uint32_t object;
    uint32_t ring;
    uint32_t events; /* mask of 1 << record type */
    uint32_t cookie;
    uint32_t pad;
} spec_trace_hook_t;
