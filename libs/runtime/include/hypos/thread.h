/* Starting a thread in the caller's address space: the caller provides the
 * TCB (configured, with an IPC buffer), a stack and a TLS block; the thread
 * gets a private copy of the program's thread-local data. */
#pragma once
#include <sel4/sel4.h>
#include <stddef.h>

LIBSEL4_BEGIN_DECLS

typedef struct hypos_thread {
    void (*fn)(void *arg);
    void *arg;
    seL4_IPCBuffer *ipc;
} hypos_thread_t;

/* Bytes a TLS block must have. */
size_t hypos_tls_size(void);
/* Set registers and resume tcb running fn(arg); t must stay valid while it runs. */
int hypos_thread_start(seL4_CPtr tcb, hypos_thread_t *t, void *stack_top, void *tls_block);

LIBSEL4_END_DECLS
