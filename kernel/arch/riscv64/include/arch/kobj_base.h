#pragma once
/* Kernel window onto physical memory (Sv39 upper half): paddr p is at
 * KOBJ_BASE + p for p < PHYS_WINDOW_SIZE. */
#define KOBJ_BASE 0xffffffc000000000ull
#define PHYS_WINDOW_SIZE (254ull << 30)
#define KERNEL_VBASE 0xffffffff80000000ull
#define KERNEL_PBASE 0x80000000ull
