// A C++17 root task: proves that libsel4's and the runtime's C declarations
// have C linkage when included from C++ (the program links against the C
// runtime). Linked, not run, by tests/headers/run.sh.
#include <sel4/sel4.h>
#include <hypos/runtime.h>
#include <hypos/thread.h>

int main(int argc, char **argv)
{
    seL4_BootInfo *bi = seL4_GetBootInfo();
    seL4_CPtr frame = hypos_image_frame_cap(reinterpret_cast<const void *>(&main));
    seL4_SetMR(0, static_cast<seL4_Word>(argc) + frame + hypos_tls_size() + hypos_self_tcb());
    hypos_thread_t t = {};
    (void)hypos_thread_start(seL4_CapNull, &t, nullptr, nullptr);
    return bi && argv[0] ? 0 : 1;
}
