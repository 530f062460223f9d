/* Kernel trace rings and hooks of a system specification (trace.c). */
#pragma once
#include <hypos/spec.h>
#include <sel4/sel4.h>

/* obj(i): the initialiser's slot of object i; extra(i): of extra cap i. */
void trace_setup(const spec_header_t *h, const char *spec, seL4_CPtr (*obj)(uint32_t), seL4_CPtr (*extra)(uint32_t));
