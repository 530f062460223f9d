#pragma once
/* Kernel window onto physical memory: paddr p is at KOBJ_BASE + p for
 * p < PHYS_WINDOW_SIZE (PML4 slot 256, the first upper-half slot, mapped
 * with 1 GiB pages). The kernel image runs in the top 2 GiB (PML4 slot
 * 511), linked at KERNEL_VBASE + its physical load address. */
#define KOBJ_BASE 0xffff800000000000ull
#define PHYS_WINDOW_SIZE (512ull << 30)
#define KERNEL_VBASE 0xffffffff80000000ull
#define KERNEL_PBASE 0x0ull
