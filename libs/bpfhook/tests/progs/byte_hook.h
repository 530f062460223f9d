/* The context of the tests' hook "rx": one input byte a program may
 * rewrite, its position (read-only) and a word programs may not touch. */
#ifndef BYTE_HOOK_H
#define BYTE_HOOK_H
struct byte_ctx {
    unsigned int byte;         /* read and write */
    unsigned int pos;          /* read only */
    unsigned long long secret; /* no access */
};
#define VERDICT_DROP 0
#define VERDICT_PASS 1
#endif
