/* PD entry (also the entry a parent restarts a child at): global pointer,
 * the stack the tool mapped below the IPC buffer's guard page, the
 * thread pointer for libsel4's thread-local IPC buffer pointer; then the
 * event loop. */
.section .text.start, "ax"
.global _start
_start:
.option push
.option norelax
    la    gp, __global_pointer$
.option pop
    li    sp, 0x3fffffd000       /* PD_STACK_TOP */
    la    tp, __tls_base
    call  microkit_internal_main
1:  j 1b
