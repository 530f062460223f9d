/* A small TAP writer for the bundle library's host tests. */
#ifndef HB_TAP_H
#define HB_TAP_H

#include <stdio.h>

extern int tap_count, tap_failed;

/* One TAP line per check: "ok N BUNDLE <what>" or "not ok ...". */
#define TAP(cond, ...)                                                 \
    do {                                                               \
        int tap_ok_ = !!(cond);                                        \
        printf("%sok %d BUNDLE ", tap_ok_ ? "" : "not ", ++tap_count); \
        printf(__VA_ARGS__);                                           \
        printf("\n");                                                  \
        if (!tap_ok_) {                                                \
            tap_failed++;                                              \
            printf("#   at %s:%d\n", __FILE__, __LINE__);              \
        }                                                              \
    } while (0)

void hex_decode(unsigned char *out, const char *hex, size_t n);
unsigned char *read_whole_file(const char *path, size_t *len);

void test_crypto(void);
void test_bundle(void);
void test_mlog(void);
void test_bootlog(void);
void test_cli(const char *tmpdir);
void test_control(void);

#endif
