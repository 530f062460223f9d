/* libFuzzer target for the .system parser, checks and layout: any input
 * must end in a laid-out specification or one diagnostic, never a crash,
 * hang or sanitizer report. Errors jump back here instead of exiting.
 * Program images are looked up in FUZZ_SEARCH (a directory holding
 * hello.elf); with FUZZ_MONITOR (the monitor's ELF) accepted systems are
 * also laid out and serialised. */
#include "../../tools/microkit/elf.h"
#include "../../tools/microkit/layout.h"
#include "../../tools/microkit/measure.h"
#include "../../tools/microkit/sdf.h"
#include "../../tools/microkit/trace.h"
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

static jmp_buf back;
static void jump_back(void) { longjmp(back, 1); }

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    static const char *search[1];
    search[0] = getenv("FUZZ_SEARCH") ? getenv("FUZZ_SEARCH") : ".";
    diag_on_error = jump_back;
    diag_quiet = true;
    char *buf = malloc(size + 1);
    memcpy(buf, data, size);
    buf[size] = 0;
    static sdf_system_t sys;
    for (int i = 0; i < sys.n_pds; i++) /* the rest of the model is left to leak */
        elf_free(sys.pds[i].elf);
    sys.n_pds = 0;
    /* both kernel configurations' rules and layouts: odd sizes as MCS */
    sdf_mcs = size & 1;
    if (!setjmp(back)) {
        sdf_parse_buffer("fuzz.system", buf, size, search, 1, &sys);
        sdf_check(&sys);
        trace_check(&sys);
        measure_check(&sys);
        const char *monitor = getenv("FUZZ_MONITOR");
        if (monitor) {
            static spec_builder_t b;
            uint64_t n;
            free(spec_serialise((layout_system(&sys, monitor, &b, NULL), &b), &n));
            spec_builder_free(&b);
        }
    }
    free(buf);
    return 0;
}
