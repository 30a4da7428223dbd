#ifndef WILDGUARD_SHIMS_H
#define WILDGUARD_SHIMS_H

/* The one place where WildGuard calls ICU and PCRE2. Only plain C types cross this header, so
   that Swift never sees ICU's or PCRE2's own headers (ICU's clash with Foundation's copy, and
   PCRE2's width-suffixed names and macros do not import cleanly). */

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- ICU: per-code-point properties and normalisation (used to build lookup tables). ---- */

/** NFKC_Casefold of one code point, then (when `decompose` is non-zero) canonical decomposition
    (NFD). Writes up to `cap` code points to `out` and returns how many it wrote, or -1 on error. */
int32_t wgshim_icu_fold_codepoint(uint32_t cp, int32_t decompose, uint32_t *out, int32_t cap);

/** ICU general category (UCharCategory) of a code point. */
int32_t wgshim_icu_general_category(uint32_t cp);

/** ICU script code (UScriptCode) of a code point. */
int32_t wgshim_icu_script(uint32_t cp);

/** 1 when `script` (a UScriptCode) is among the code point's Script_Extensions (the scripts a
    character shared by several is used with, such as the kana length mark), else 0. */
int32_t wgshim_icu_has_script(uint32_t cp, int32_t script);

/** 1 when the code point is Default_Ignorable, Emoji, Extended_Pictographic, White_Space,
    Alphabetic respectively; selected by `property` (0..4). */
int32_t wgshim_icu_has_property(uint32_t cp, int32_t property);

/** UTS #39 confusable skeleton of a UTF-16 string. Returns the length written or -1. */
int32_t wgshim_icu_skeleton(const uint16_t *src, int32_t len, uint16_t *dst, int32_t cap);

typedef struct wgshim_transliterator wgshim_transliterator;

/** Opens an ICU transliterator by ID (such as "Han-Latin"); NULL when the ID is unknown.
    Not thread-safe: one per thread. */
wgshim_transliterator *wgshim_icu_transliterator_open(const char *transliterator_id);
void wgshim_icu_transliterator_close(wgshim_transliterator *transliterator);

/** Transliterates a UTF-16 string. Returns the length written, or -1 when it does not fit. */
int32_t wgshim_icu_transliterate(wgshim_transliterator *transliterator, const uint16_t *src, int32_t len,
                             uint16_t *dst, int32_t cap);

/** ICU's version string ("72.1"). */
const char *wgshim_icu_version(void);

/* ---- PCRE2 (8-bit code units, UTF mode). ---- */

typedef struct wgshim_regex wgshim_regex;
typedef struct wgshim_match_scratch wgshim_match_scratch;

/** Compiles `pattern` (UTF-8, `length` bytes) caseless, UTF, UCP, and JIT-compiles it. On failure
    returns NULL and fills `error_message` (NUL-terminated) and `error_offset`. */
wgshim_regex *wgshim_regex_compile(const char *pattern, size_t length, int32_t *error_code,
                           size_t *error_offset, char *error_message, size_t message_cap);

void wgshim_regex_free(wgshim_regex *regex);

/** 1 when the pattern was JIT-compiled. */
int32_t wgshim_regex_is_jit(const wgshim_regex *regex);

/** Per-thread match state: match data, match context with limits, JIT stack. */
wgshim_match_scratch *wgshim_match_scratch_create(uint32_t match_limit, uint32_t depth_limit,
                                          uint32_t heap_limit_kib);
void wgshim_match_scratch_free(wgshim_match_scratch *scratch);

/** Finds the first match that starts at or after `start` and at or before `start_limit` (SIZE_MAX:
    anywhere). Returns 1 and sets [*match_start, *match_end) on a match, 0 when there is none, -1
    when a resource limit was hit, -2 on other errors. */
int32_t wgshim_regex_match(const wgshim_regex *regex, const uint8_t *subject, size_t length, size_t start,
                       size_t start_limit, wgshim_match_scratch *scratch, size_t *match_start,
                       size_t *match_end);

/** PCRE2's version string. */
void wgshim_pcre2_version(char *buffer, size_t cap);

#ifdef __cplusplus
}
#endif

#endif
