/* The capability derivation tree, kept as one doubly linked list in
 * preorder (seL4 manual ch. 3): a node's descendants are the run of nodes
 * after it for which it is the MDB parent. */
#pragma once
#include <object/structures.h>
#include <kernel/preemption.h>

bool is_mdb_parent_of(const cte_t *a, const cte_t *b);
bool mdb_has_children(const cte_t *slot);
bool cte_is_final(const cte_t *slot);

/* Sentinel before the first node: every live slot is reachable from it. */
extern cte_t mdb_head;
/* Last node of the list (&mdb_head when empty). */
extern cte_t *mdb_tail;

/* Place cap in the empty slot dest as a child (or copy) of src. */
void cte_insert(cap_t cap, cte_t *src, cte_t *dest);
/* Place a freshly retyped object's cap after its untyped. */
void cte_insert_new(cap_t cap, cte_t *parent, cte_t *dest);
/* Give a boot-time cap its place at the end of the tree. */
void cte_insert_root(cap_t cap, cte_t *dest);
void cte_move(cap_t cap, cte_t *src, cte_t *dest);
void cte_swap(cap_t cap1, cte_t *slot1, cap_t cap2, cte_t *slot2);
/* Delete the cap in slot, finalising its object if it was the last cap.
 * This runs to completion however much it cascades (through the zombies of
 * CNodes and TCBs); system calls use the preemptible form. */
void cte_delete(cte_t *slot);
/* The same, stopping at a preemption point with EXCEPTION_PREEMPTED: the
 * slot then holds a zombie with the progress made, and calling this again
 * on the slot (or on any zombie of its chain) goes on from there. */
exception_t cte_delete_preemptible(cte_t *slot);
/* Unlink and clear a slot whose cap needs no finalisation (a reply cap). */
void cte_empty(cte_t *slot);
/* Delete every descendant of slot. */
void cte_revoke(cte_t *slot);
/* The same with preemption points between (and inside) the deletions;
 * calling it again continues with the descendants that are left. */
exception_t cte_revoke_preemptible(cte_t *slot);
