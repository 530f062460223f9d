/* libFuzzer target for the .system parser and checks: any input must end
 * in an accepted system or one diagnostic, never a crash, hang or
 * sanitizer report. Errors jump back here instead of exiting. Program
 * images are looked up in FUZZ_SEARCH (a directory holding hello.elf). */
#include "../../tools/microkit/sdf.h"
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
    if (!setjmp(back)) {
        sdf_parse_buffer("fuzz.system", buf, size, search, 1, &sys);
        sdf_check(&sys);
    }
    free(buf);
    return 0;
}
