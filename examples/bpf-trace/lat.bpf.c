/* Programs on kernel trace records (hypos/bpf_trace.h), run by the bpf
 * PD: the call-to-reply latency histogram of the server's endpoint, and
 * faults per PD. Their maps are read by the report PD. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <hypos/bpf_trace.h>
#include "trace_example.h"

/* time of each client's outstanding call, by its trace thread id */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u64);
} start SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, NBUCKETS);
    __type(key, __u32);
    __type(value, __u64);
} hist SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, NCOUNTS);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

static void count(__u32 k)
{
    __u64 *n = bpf_map_lookup_elem(&counts, &k);
    if (n)
        *n += 1;
}

SEC("trace/server_ipc")
int server_ipc(struct trace_record *r)
{
    if (r->h.type == TRACE_IPC_CALL) {
        __u32 caller = r->u.ipc.sender;
        __u64 t = r->h.time;
        bpf_map_update_elem(&start, &caller, &t, BPF_ANY);
        count(COUNT_CALLS);
    } else if (r->h.type == TRACE_IPC_REPLY) {
        __u32 caller = r->u.ipc.receiver;
        count(COUNT_REPLIES);
        __u64 *t = bpf_map_lookup_elem(&start, &caller);
        if (!t)
            return 0;
        __u64 d = r->h.time - *t;
        bpf_map_delete_elem(&start, &caller);
        __u32 b = 0;
#pragma unroll
        for (int i = 1; i < NBUCKETS; i++)
            if (d >> i)
                b = i;
        __u64 *n = bpf_map_lookup_elem(&hist, &b);
        if (n)
            *n += 1;
        count(COUNT_MATCHED);
    }
    return 0;
}

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, MAX_PD_SLOTS);
    __type(key, __u32);
    __type(value, __u64);
} faults SEC(".maps");

SEC("trace/faults")
int per_pd_faults(struct trace_record *r)
{
    __u32 pd = (r->h.object >> 8) & 0xff; /* the cookie's PD part: PD index + 1 */
    __u64 *n = bpf_map_lookup_elem(&faults, &pd);
    if (n)
        *n += 1;
    return 0;
}

char LICENSE[] SEC("license") = "GPL";
