/* Access to the calling thread's IPC buffer (message registers, caps). */
#pragma once
#include <sel4/types.h>

extern __thread seL4_IPCBuffer *__sel4_ipc_buffer;

static inline void seL4_SetIPCBuffer(seL4_IPCBuffer *buffer) { __sel4_ipc_buffer = buffer; }
static inline seL4_IPCBuffer *seL4_GetIPCBuffer(void) { return __sel4_ipc_buffer; }
static inline seL4_Word seL4_GetMR(int i) { return seL4_GetIPCBuffer()->msg[i]; }
static inline void seL4_SetMR(int i, seL4_Word mr) { seL4_GetIPCBuffer()->msg[i] = mr; }
static inline seL4_Word seL4_GetUserData(void) { return seL4_GetIPCBuffer()->userData; }
static inline void seL4_SetUserData(seL4_Word data) { seL4_GetIPCBuffer()->userData = data; }
static inline seL4_Word seL4_GetBadge(int i) { return seL4_GetIPCBuffer()->caps_or_badges[i]; }
static inline seL4_CPtr seL4_GetCap(int i) { return (seL4_CPtr)seL4_GetIPCBuffer()->caps_or_badges[i]; }
static inline void seL4_SetCap(int i, seL4_CPtr cptr) { seL4_GetIPCBuffer()->caps_or_badges[i] = (seL4_Word)cptr; }

static inline void seL4_GetCapReceivePath(seL4_CPtr *receiveCNode, seL4_CPtr *receiveIndex,
                                          seL4_Word *receiveDepth)
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    if (receiveCNode)
        *receiveCNode = b->receiveCNode;
    if (receiveIndex)
        *receiveIndex = b->receiveIndex;
    if (receiveDepth)
        *receiveDepth = b->receiveDepth;
}

static inline void seL4_SetCapReceivePath(seL4_CPtr receiveCNode, seL4_CPtr receiveIndex, seL4_Word receiveDepth)
{
    seL4_IPCBuffer *b = seL4_GetIPCBuffer();
    b->receiveCNode = receiveCNode;
    b->receiveIndex = receiveIndex;
    b->receiveDepth = receiveDepth;
}
