/* Shared by the programs (lat.bpf.c) and the report PD. */
#pragma once
#define CALLS 100       /* the client's calls to the server */
#define NBUCKETS 16     /* latency histogram: bucket b counts [2^b, 2^(b+1)) time-counter ticks (100 ns) */
#define COUNT_CALLS 0   /* counters: calls seen */
#define COUNT_REPLIES 1 /* replies seen */
#define COUNT_MATCHED 2 /* replies whose call was seen: in the histogram */
#define NCOUNTS 3
#define MAX_PD_SLOTS 64 /* faults: index = PD index + 1 (the hook cookie's PD part) */
