/* Not part of the system: a program that tries to change a trace record.
 * The tool refuses a system built with it (tests/tools/bpf/), and so
 * would the bpf PD at boot: trace records are read-only. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <hypos/bpf_trace.h>

SEC("trace/server_ipc")
int tamper(struct trace_record *r)
{
    r->u.ipc.label = 0;
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
