/* The serial driver's receive hook "rx_filter": what a program sees for
 * each received byte, and what its verdict means. Shared by the driver,
 * the eBPF programs and the statistics PD. */
#ifndef RX_FILTER_H
#define RX_FILTER_H
struct rx_ctx {
    unsigned int byte;     /* the byte received; a program may rewrite it */
    unsigned int position; /* bytes received before this one (read only) */
};
#define RX_DROP 0
#define RX_PASS 1
/* The driver's channel to the statistics PD: programs may signal it
 * (pd_notify) when they want the counters read. */
#define STATS_CHANNEL 2

/* Classes the counting program keeps in its array map "classes". */
#define CLASS_DIGIT 0
#define CLASS_LOWER 1
#define CLASS_UPPER 2
#define CLASS_OTHER 3
#define NCLASSES 4
#endif
