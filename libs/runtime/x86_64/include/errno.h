/* The runtime's small C library for x86_64: errno and the codes the
 * runtime sets (their usual Linux values). */
#pragma once

extern int errno;

#define EPERM 1
#define ESRCH 3
#define EINTR 4
#define ENOMEM 12
#define EINVAL 22
#define ERANGE 34
