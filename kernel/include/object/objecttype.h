/* Per-type hooks used by generic code (retype, deletion). */
#pragma once
#include <object/structures.h>
#include <api/errors.h>

/* log2 size of one object of the given type, or -1 for an invalid type. */
int object_size_bits(word_t type, word_t user_size_bits);
bool object_type_is_frame(word_t type);
/* Initialise (zeroed) memory at oref as an object and return its first cap. */
cap_t create_object(word_t type, word_t oref, word_t user_size_bits, bool device);
/* Finalise an object whose last cap is going away and that owns no slots. */
void finalise_object(cap_t cap);
/* Called before a TCB's own slots are emptied: stop the thread. */
void finalise_thread_before_slots(tcb_t *tcb);

/* The architecture's object types (frames, paging structures): the same
 * three questions for the types after seL4_NonArchObjectTypeCount. */
int arch_object_size_bits(word_t type); /* -1: not an object type */
bool arch_object_type_is_frame(word_t type);
cap_t arch_create_object(word_t type, word_t oref, bool device);
