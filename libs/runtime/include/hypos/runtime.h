/* What the hypOS C runtime offers a program beyond libsel4 and picolibc. */
#pragma once
#include <sel4/sel4.h>

LIBSEL4_BEGIN_DECLS

/* argv[0] of main (the root task is "rootserver", the name the kernel
 * gives its thread). */
extern const char *const hypos_program_name;

/* The frame capability (in the root task's CNode, from the boot info's
 * userImageFrames) of the page of the program image that holds addr, or
 * seL4_CapNull if addr is outside the image. The image is mapped from its
 * first page upwards, one 4 KiB frame per page, in slot order. Root task only. */
seL4_CPtr hypos_image_frame_cap(const void *addr);

/* The calling thread's own TCB capability, as the runtime knows it: the
 * root task's initial thread has seL4_CapInitThreadTCB; threads started
 * with hypos_thread_start have the TCB they were started on. */
seL4_CPtr hypos_self_tcb(void);

LIBSEL4_END_DECLS
