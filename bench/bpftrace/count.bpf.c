/* The benchmark's trace program: counts calls per calling thread in a
 * hash map (20 instructions run when the caller is already in the map). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <hypos/bpf_trace.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u64);
} calls SEC(".maps");

SEC("trace/bench")
int count(struct trace_record *r)
{
    if (r->h.type != TRACE_IPC_CALL)
        return 0;
    __u32 caller = r->u.ipc.sender;
    __u64 *n = bpf_map_lookup_elem(&calls, &caller);
    if (n) {
        __sync_fetch_and_add(n, 1);
        return 0;
    }
    __u64 one = 1;
    bpf_map_update_elem(&calls, &caller, &one, BPF_NOEXIST);
    return 0;
}

/* the same dispatch with nothing to do: what the drain, the dispatch and
 * the program's entry cost without the map update */
SEC("trace/bench_empty")
int empty(struct trace_record *r)
{
    (void)r;
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
