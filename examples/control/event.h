/* The context of the worker's hook "event", shared by the worker and the
 * programs written for it. */
#ifndef CONTROL_EVENT_H
#define CONTROL_EVENT_H
struct event_ctx {
    unsigned long long seq; /* 1, 2, 3, ... one per event (read only) */
    unsigned int kind;      /* the worker's configurable "kind" (read only) */
    unsigned int value;     /* seq's low bits scrambled (read only) */
};
#define VERDICT_NONE 0 /* the hook's default: no program ran */
#endif
