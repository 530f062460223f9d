/* The first thread's TLS (variant II, see arch_thread.h): a copy of the
 * program's TLS image just below a thread pointer that points at itself,
 * installed as the FS base with TCB_SetTLSBase. That invocation goes
 * through the raw system call: the IPC buffer pointer is itself a TLS
 * variable and cannot be read yet. */
#include <arch_thread.h>
#include <sel4/sel4.h>
#include <string.h>

extern char __tls_base[], __tdata_end[], __tbss_end[];
static char main_tls[4096] __attribute__((aligned(16)));

void __hypos_init_main_tls(void);
void __hypos_init_main_tls(void)
{
    size_t tdata = (size_t)(__tdata_end - __tls_base), size = (size_t)(__tbss_end - __tls_base);
    if (size + HYPOS_ARCH_TLS_EXTRA > sizeof(main_tls))
        for (;;)
            ; /* the program's TLS cannot fit: stop before anything uses it */
    memcpy(main_tls, __tls_base, tdata);
    seL4_Word tp = hypos_arch_thread_pointer(main_tls, size);
    seL4_Word info, mr0 = tp, mr1 = 0, mr2 = 0, mr3 = 0;
    seL4_arch_sys_send_recv(seL4_SysCall, seL4_CapInitThreadTCB, NULL,
                            seL4_MessageInfo_new(TCBSetTLSBase, 0, 0, 1).words[0], &info, &mr0, &mr1, &mr2, &mr3);
}
