/* Access to the calling thread's IPC buffer (message registers, caps). */
#pragma once
#include <sel4/types.h>

/* The calling thread's IPC buffer; each thread sets its own (the runtime
 * does it for the root task and for threads it starts). */
LIBSEL4_BEGIN_DECLS
extern __thread seL4_IPCBuffer *__sel4_ipc_buffer;
LIBSEL4_END_DECLS

LIBSEL4_INLINE void seL4_SetIPCBuffer(seL4_IPCBuffer *buffer) { __sel4_ipc_buffer = buffer; }
LIBSEL4_INLINE seL4_IPCBuffer *seL4_GetIPCBuffer(void) { return __sel4_ipc_buffer; }
LIBSEL4_INLINE seL4_Word seL4_GetMR(int i) { return seL4_GetIPCBuffer()->msg[i]; }
LIBSEL4_INLINE void seL4_SetMR(int i, seL4_Word mr) { seL4_GetIPCBuffer()->msg[i] = mr; }
LIBSEL4_INLINE seL4_Word seL4_GetUserData(void) { return seL4_GetIPCBuffer()->userData; }
LIBSEL4_INLINE void seL4_SetUserData(seL4_Word data) { seL4_GetIPCBuffer()->userData = data; }
LIBSEL4_INLINE seL4_Word seL4_GetBadge(int i) { return seL4_GetIPCBuffer()->caps_or_badges[i]; }
LIBSEL4_INLINE seL4_CPtr seL4_GetCap(int i) { return (seL4_CPtr)seL4_GetIPCBuffer()->caps_or_badges[i]; }
LIBSEL4_INLINE void seL4_SetCap(int i, seL4_CPtr cptr) { seL4_GetIPCBuffer()->caps_or_badges[i] = (seL4_Word)cptr; }

LIBSEL4_INLINE void seL4_GetCapReceivePath(seL4_CPtr *receiveCNode, seL4_CPtr *receiveIndex, seL4_Word *receiveDepth)
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    if (receiveCNode)
        *receiveCNode = b->receiveCNode;
    if (receiveIndex)
        *receiveIndex = b->receiveIndex;
    if (receiveDepth)
        *receiveDepth = b->receiveDepth;
}

LIBSEL4_INLINE void seL4_SetCapReceivePath(seL4_CPtr receiveCNode, seL4_CPtr receiveIndex, seL4_Word receiveDepth)
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    b->receiveCNode = receiveCNode;
    b->receiveIndex = receiveIndex;
    b->receiveDepth = receiveDepth;
}
