#pragma once
#include <types.h>

/* Debug check of kernel state: derivation-tree links, every object inside
 * its untyped's allocated part and disjoint from its siblings, and the
 * ready queues. Returns the number of violations (each is printed). */
word_t check_invariants(void);
/* Run the checks now and keep the count for the next check_invariants()
 * (debug builds run this at every forced preemption point). */
void check_invariants_deferred(void);

/* For the configuration's own checks (nonmcs/, mcs/ invariants files). */
struct cte;
void violation(const char *what, const struct cte *slot);
void check_config_threads(void);
