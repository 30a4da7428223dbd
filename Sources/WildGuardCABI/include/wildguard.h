/*
 * wildguard.h: the C interface of WildGuard, a screen for illegal wildlife trade in online
 * listings. Link with -lwildguard-c (libwildguard-c.so, built by `swift build --product wildguard-c`).
 *
 * Conventions
 * - Text is UTF-8, passed as a pointer and a byte length; WG_NUL_TERMINATED as the length means
 *   "up to the first NUL byte". Invalid UTF-8 is replaced and reported in the decision, never
 *   rejected.
 * - Every string this library returns to you is allocated with malloc and NUL-terminated; free it
 *   with wg_string_free (or free). The one exception is wg_version, which returns a static string.
 * - A wg_engine is immutable once opened and safe to share between any number of threads for
 *   every call below except wg_engine_free, which must come after all other calls on it.
 * - No call aborts the host process on bad input: failures are return values.
 *
 * The interface is versioned by WG_ABI_VERSION: functions are only ever added, never changed,
 * until the ABI version changes. Check wg_abi_version() == WG_ABI_VERSION at start-up.
 */
#ifndef WILDGUARD_H
#define WILDGUARD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header's interface. */
#define WG_ABI_VERSION 1

/* Pass as a length to mean "the text is NUL-terminated". */
#define WG_NUL_TERMINATED ((size_t)-1)

/* Actions, as wg_classify_action returns them (ordered by severity). */
#define WG_ALLOW 0
#define WG_REVIEW 1
#define WG_BLOCK 2

/* Status codes. */
#define WG_OK 0
#define WG_EINVAL (-1) /* a NULL or out-of-range argument */
#define WG_ENOMEM (-2) /* memory ran out */

/* A loaded taxonomy and policy, compiled. Opaque. */
typedef struct wg_engine wg_engine;

/* The library version ("0.1.0"). Static: do not free. */
const char *wg_version(void);

/* The ABI version the library implements; compare with WG_ABI_VERSION. */
int wg_abi_version(void);

/*
 * Loads and compiles the taxonomy in taxonomy_dir with a policy, which is the name of a profile in
 * the taxonomy's policies/ folder ("strict-marketplace", "lenient-antiques") or a path to a policy
 * file. NULL or "" for taxonomy_dir means $WILDGUARD_TAXONOMY or a Taxonomy folder found near the
 * program; NULL or "" for policy means the default profile, "strict-marketplace".
 *
 * Returns the engine, or NULL on failure. When error is not NULL, *error is set to NULL on success
 * and to a message on failure (naming the file, line and problem; free it with wg_string_free).
 * Loading compiles every pattern: do it once and share the engine.
 */
wg_engine *wg_engine_open(const char *taxonomy_dir, const char *policy, char **error);

/* Frees an engine (NULL is ignored). No other call on it may run at the same time or after. */
void wg_engine_free(wg_engine *engine);

/*
 * Classifies one listing and returns its decision as one line of JSON, the record that
 * `wildguard classify` writes, with "id":null:
 *   {"id":null,"decision":"block","score":19.5,"reasons":[...],"deciding_rule":"...",
 *    "policy":"...","policy_version":"...","taxonomy_version":"...","fingerprint":"..."}
 * Spans in the reasons are byte offsets into text. Free the result with wg_string_free.
 * Returns NULL only when engine is NULL, text is NULL with a nonzero length, or memory ran out.
 */
char *wg_classify(const wg_engine *engine, const char *text, size_t length);

/*
 * Classifies one listing and returns only its action (WG_ALLOW, WG_REVIEW or WG_BLOCK), storing
 * its score in *score when score is not NULL. Allocates nothing for the caller. Returns WG_EINVAL
 * when engine is NULL or text is NULL with a nonzero length.
 */
int wg_classify_action(const wg_engine *engine, const char *text, size_t length, double *score);

/*
 * Classifies count listings on jobs threads (0: one per core) and stores the decision JSON of
 * texts[i] in results[i], in input order, with "id" set to i. lengths may be NULL when every text
 * is NUL-terminated. The caller provides results (count pointers) and frees every string in it
 * with wg_string_free.
 * Returns WG_OK, WG_EINVAL (a NULL array, a NULL text with a nonzero length, jobs < 0) or
 * WG_ENOMEM; on failure every results[i] is NULL and there is nothing to free.
 */
int wg_classify_batch(const wg_engine *engine, const char *const *texts, const size_t *lengths,
                      size_t count, int jobs, char **results);

/* Frees a string returned by this library (NULL is ignored). */
void wg_string_free(char *string);

#ifdef __cplusplus
}
#endif

#endif /* WILDGUARD_H */
