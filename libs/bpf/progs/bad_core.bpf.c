/* Rejected: CO-RE field relocations. */
#include "common.h"
struct task {
	int pid;
	int tgid;
} __attribute__((preserve_access_index));
SEC("kprobe/x")
int p(struct task *t)
{
	return __builtin_preserve_access_index(t->tgid);
}
char LICENSE[] SEC("license") = "GPL";
