/* Refused by the verifier for the trace hook "ticks": a trace program
 * sees its record read-only, and this one writes the record's type. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <hypos/bpf_trace.h>

SEC("trace/ticks")
int tamper(struct trace_record *r)
{
    r->h.type = 0;
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
