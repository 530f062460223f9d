/* Rejected: an unresolved extern (kconfig). */
#include "common.h"
extern int LINUX_KERNEL_VERSION __attribute__((section(".kconfig"), weak));
SEC("xdp")
int p(void *ctx)
{
	return LINUX_KERNEL_VERSION;
}
char LICENSE[] SEC("license") = "GPL";
