/* Counts the calls and replies it is given, and checks each record is
 * whole: a record overwritten while it was read would show up as a
 * record of neither type or with a zero caller. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <hypos/bpf_trace.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 3); /* calls, replies, damaged */
    __type(key, __u32);
    __type(value, __u64);
} seen SEC(".maps");

SEC("trace/server_ipc")
int count(struct trace_record *r)
{
    __u32 k = 2;
    if (r->h.type == TRACE_IPC_CALL && r->u.ipc.sender)
        k = 0;
    else if (r->h.type == TRACE_IPC_REPLY && r->u.ipc.receiver)
        k = 1;
    __u64 *n = bpf_map_lookup_elem(&seen, &k);
    if (n)
        *n += 1;
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
