/* The kernel configuration this libsel4 describes, as the CONFIG_* macros
 * seL4 programs test (seL4 generates this header from its build options).
 * hypOS has one configuration per BUILD: the build passes HYPOS_DEBUG and
 * HYPOS_PRINTING to kernel and user code alike, so both always agree. */
#pragma once

#define CONFIG_ARCH_X86 1
#define CONFIG_ARCH_X86_64 1
#define CONFIG_ARCH x86
#define CONFIG_SEL4_ARCH x86_64
#define CONFIG_WORD_SIZE 64
#define CONFIG_PLAT_PC99 1
/* a token sequence, as seL4 writes it */
/* clang-format off */
#define CONFIG_PLAT pc99
/* clang-format on */
#define CONFIG_PT_LEVELS 4
#define CONFIG_MAX_NUM_NODES 1
#define CONFIG_NUM_PRIORITIES 256
/* The domain scheduler: the build generates <hypos/domain_config.h> from
 * make DOMAIN_SCHEDULE=... (docs/domains.md) and puts it on the include
 * path of kernel and user code alike; without it, one domain. */
#if defined(__has_include)
#if __has_include(<hypos/domain_config.h>)
#include <hypos/domain_config.h>
#endif
#endif
#ifndef CONFIG_NUM_DOMAINS
#define CONFIG_NUM_DOMAINS 1
#endif
#ifndef CONFIG_NUM_DOMAIN_SCHEDULES
#define CONFIG_NUM_DOMAIN_SCHEDULES 16
#endif
#define CONFIG_ROOT_CNODE_SIZE_BITS 12
#define CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS 230
#define CONFIG_RETYPE_FAN_OUT_LIMIT 256
/* the periodic tick and round-robin slice exist only without MCS (with
 * MCS, scheduling contexts set every budget) */
#ifndef HYPOS_MCS
#define CONFIG_TIMER_TICK_MS 2
#define CONFIG_TIME_SLICE 5
#endif
#define CONFIG_FASTPATH 1
#define CONFIG_NO_BENCHMARKS 1
/* every thread has its own x87/SSE state, saved with FXSAVE */
#define CONFIG_HAVE_FPU 1
#define CONFIG_FXSAVE 1
/* Not set in this configuration (tested with #ifdef by seL4 code):
 * CONFIG_ENABLE_SMP_SUPPORT, CONFIG_XSAVE, CONFIG_VTX, CONFIG_IOMMU,
 * CONFIG_HARDWARE_DEBUG_API, CONFIG_ENABLE_BENCHMARKS,
 * CONFIG_SET_TLS_BASE_SELF, CONFIG_DANGEROUS_CODE_INJECTION,
 * CONFIG_RISCV_HE. */

/* The MCS configuration (scheduling contexts, reply objects): built with
 * make MCS=1, which passes HYPOS_MCS to kernel and user code alike. */
#ifdef HYPOS_MCS
#define CONFIG_KERNEL_MCS 1
/* the initial thread's scheduling context: budget = period, in ms */
#define CONFIG_BOOT_THREAD_TIME_SLICE 5
/* the kernel's worst-case execution time estimate is multiplied by this;
 * twice the result is the shortest budget (docs/mcs.md) */
#define CONFIG_KERNEL_WCET_SCALE 1
#endif

/* seL4's debug build: the debug system calls (DebugHalt, CapIdentify,
 * NameThread, DumpScheduler) exist. */
#ifdef HYPOS_DEBUG
#define CONFIG_DEBUG_BUILD 1
#define CONFIG_USER_STACK_TRACE_LENGTH 0
#endif
/* The kernel console: DebugPutChar (debug and bench builds). hypOS also
 * keeps DebugHalt wherever the console exists, so that a run can end. */
#ifdef HYPOS_PRINTING
#define CONFIG_PRINTING 1
#endif
