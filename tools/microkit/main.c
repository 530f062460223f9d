/* microkit: builds a bootable hypOS image from a Microkit system
 * description. Command line as Microkit's tool:
 *   microkit SYSTEM --board qemu_virt_riscv64 --config debug|release|benchmark
 *           -o IMAGE -r REPORT [--search-path DIR]...
 * The board files (kernel archive, initialiser, monitor, linker scripts)
 * come from the SDK this binary sits in (bin/../board/BOARD/CONFIG), or
 * from --sdk DIR / $MICROKIT_SDK. */
#include "image.h"
#include "layout.h"
#include "measure.h"
#include "replay.h"
#include "bpfcheck.h"
#include "bpfpd.h"
#include "sdf.h"
#include "trace.h"
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
    fprintf(stderr, "usage: microkit SYSTEM --board qemu_virt_riscv64 --config debug|release|benchmark -o IMAGE\n"
                    "                [-r REPORT] [--search-path DIR]... [--sdk DIR] [--check-only]\n"
                    "                [--image-type elf|binary] [--viper-output DIR] [--capdl-json FILE]\n");
    exit(2);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Whether the SDK's kernel was built with MCS (its recorded compiler flags). */
static bool board_is_mcs(const char *board_dir)
{
    char path[PATH_MAX + 16], line[4096];
    snprintf(path, sizeof path, "%s/elf/flags", board_dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    bool mcs = false;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "kernel=", 7) && strstr(line, "-DHYPOS_MCS"))
            mcs = true;
    fclose(f);
    return mcs;
}

int main(int argc, char **argv)
{
    const char *system_file = NULL, *board = NULL, *config = NULL, *output = "loader.img", *report = "report.txt";
    const char *sdk = getenv("MICROKIT_SDK"), *search[64];
    int n_search = 0;
    bool check_only = false, timing = getenv("MICROKIT_TIMING") != NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
#define ARG() (i + 1 < argc ? argv[++i] : (usage(), ""))
        if (!strcmp(a, "--board"))
            board = ARG();
        else if (!strcmp(a, "--config"))
            config = ARG();
        else if (!strcmp(a, "-o") || !strcmp(a, "--output"))
            output = ARG();
        else if (!strcmp(a, "-r") || !strcmp(a, "--report"))
            report = ARG();
        else if (!strcmp(a, "--search-path")) {
            if (n_search == 64)
                fail("too many --search-path options (at most 64)");
            search[n_search++] = ARG();
        } else if (!strcmp(a, "--sdk"))
            sdk = ARG();
        else if (!strcmp(a, "--check-only"))
            check_only = true;
        else if (!strcmp(a, "--image-type")) {
            const char *t = ARG();
            if (strcmp(t, "elf") && strcmp(t, "binary"))
                fail("--image-type %s is not supported for qemu_virt_riscv64 (elf; binary is accepted and "
                     "produces the same bootable ELF)",
                     t);
        } else if (!strcmp(a, "--viper-output") || !strcmp(a, "--capdl-json")) {
            const char *d = ARG();
            fprintf(stderr, "microkit: note: %s %s ignored: hypOS writes its own specification, see the report\n", a,
                    d);
        } else if (a[0] == '-')
            usage();
        else if (!system_file)
            system_file = a;
        else
            usage();
    }
    if (!system_file || !board || !config)
        usage();
    if (strcmp(board, "qemu_virt_riscv64"))
        fail("board '%s' is not supported: hypOS builds for qemu_virt_riscv64", board);
    if (strcmp(config, "debug") && strcmp(config, "release") && strcmp(config, "benchmark"))
        fail("config '%s' is not one of debug, release, benchmark", config);

    /* the board files decide the kernel configuration: an SDK built with
     * MCS=1 records -DHYPOS_MCS in its flags; without board files (only
     * --check-only may go on) the rules of the non-MCS kernel apply */
    char board_dir[PATH_MAX];
    if (sdk) {
        snprintf(board_dir, sizeof board_dir, "%s/board/%s/%s", sdk, board, config);
    } else {
        char self[PATH_MAX];
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        if (n < 0)
            fail("cannot find the SDK: pass --sdk DIR or set MICROKIT_SDK");
        self[n] = 0;
        snprintf(board_dir, sizeof board_dir, "%s/board/%s/%s", dirname(dirname(self)), board, config);
    }
    bool have_board = !access(board_dir, R_OK);
    if (have_board)
        sdf_mcs = board_is_mcs(board_dir);

    double t0 = now();
    sdf_system_t sys;
    sdf_parse(system_file, search, n_search, &sys);
    sdf_check(&sys);
    check_bpf(&sys);
    trace_check(&sys);
    sdf_check_jit_write(&sys);
    trace_check_programs(&sys);
    measure_check(&sys);
    double t1 = now();
    if (check_only)
        return 0;
    if (!have_board)
        fail("the SDK has no board files at '%s' (build them with make sdk)", board_dir);

    FILE *rep = fopen(report, "w");
    if (!rep)
        fail("cannot write report '%s'", report);
    fprintf(rep, "hypOS system report for %s (board %s, config %s, %s kernel)\n", system_file, board, config,
            sdf_mcs ? "MCS" : "non-MCS");
    char monitor[PATH_MAX + 32];
    snprintf(monitor, sizeof monitor, "%s/elf/monitor.elf", board_dir);
    spec_builder_t b;
    layout_system(&sys, monitor, &b, rep);
    bpfpd_report(&sys, rep);
    image_check_fits(&b);
    /* link with the objects not yet placed (the specification's size does
     * not depend on where they go), replay the kernel's boot of that
     * image, place every object in the boot untypeds, and write the final
     * specification over the first */
    uint64_t spec_size, placed_size;
    uint8_t *spec = spec_serialise(&b, &spec_size);
    double t2 = now();
    image_files_t files;
    uint8_t *kernel_bytes;
    uint64_t kernel_len;
    image_build(board_dir, output, spec, spec_size, &files, b.n_bootlog_frames > 0, &kernel_bytes, &kernel_len);
    double t3 = now();
    replay_t replay;
    replay_boot(files.image, files.embedded, sdf_mcs, &replay);
    replay_place(&replay, &b);
    layout_late_patches(&b);
    uint8_t *placed = spec_serialise(&b, &placed_size);
    if (placed_size != spec_size)
        fail("internal error: the specification changed size when its objects were placed");
    image_patch_spec(&files, spec, placed, spec_size);
    fprintf(rep,
            "specification: %u objects (%llu bytes of RAM), %u extra caps, %u caps, %u mappings, %u fills "
            "(%llu bytes), %u IRQs, %u threads; %llu bytes\n",
            b.n_objs, (unsigned long long)b.ram_bytes, b.n_extra, b.n_caps, b.n_maps, b.n_fills,
            (unsigned long long)b.data_len, b.n_irqs, b.n_tcbs, (unsigned long long)spec_size);
    if (b.n_bootlog_frames) {
        char path[PATH_MAX + 16];
        snprintf(path, sizeof path, "%s.measurements", output);
        measure_write(&b, placed, placed_size, kernel_bytes, kernel_len, output, path, rep);
    }
    free(kernel_bytes);
    replay_report(&replay, &b, rep);
    double t4 = now();
    fclose(rep);
    free(spec);
    free(placed);
    if (timing)
        fprintf(stderr, "microkit: parse+check %.3f s, layout %.3f s, image %.3f s, replay and placement %.3f s\n",
                t1 - t0, t2 - t1, t3 - t2, t4 - t3);
    return 0;
}
