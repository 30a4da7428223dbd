// Every PCRE2 call WildGuard makes. pcre2.h stays in this file.
#define PCRE2_CODE_UNIT_WIDTH 8
#include "wildguard_shims.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

struct wgshim_regex {
    pcre2_code *code;
    int32_t jit;
};

struct wgshim_match_scratch {
    pcre2_match_data *data;
    pcre2_match_context *context;
    pcre2_jit_stack *jit_stack;
};

wgshim_regex *wgshim_regex_compile(const char *pattern, size_t length, int32_t *error_code,
                           size_t *error_offset, char *error_message, size_t message_cap) {
    int code = 0;
    PCRE2_SIZE offset = 0;
    // USE_OFFSET_LIMIT: a search may be told the last offset a match can start at (JIT compiles
    // code that honours it).
    uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF | PCRE2_USE_OFFSET_LIMIT;
    pcre2_code *compiled = pcre2_compile((PCRE2_SPTR)pattern, length, options, &code, &offset, NULL);
    if (compiled == NULL) {
        *error_code = code;
        *error_offset = offset;
        if (message_cap > 0) {
            pcre2_get_error_message(code, (PCRE2_UCHAR *)error_message, message_cap);
        }
        return NULL;
    }
    wgshim_regex *regex = malloc(sizeof(wgshim_regex));
    if (regex == NULL) { pcre2_code_free(compiled); return NULL; }
    regex->code = compiled;
    regex->jit = pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE) == 0;
    *error_code = 0;
    *error_offset = 0;
    return regex;
}

void wgshim_regex_free(wgshim_regex *regex) {
    if (regex == NULL) return;
    pcre2_code_free(regex->code);
    free(regex);
}

int32_t wgshim_regex_is_jit(const wgshim_regex *regex) { return regex->jit; }

wgshim_match_scratch *wgshim_match_scratch_create(uint32_t match_limit, uint32_t depth_limit,
                                          uint32_t heap_limit_kib) {
    wgshim_match_scratch *scratch = calloc(1, sizeof(wgshim_match_scratch));
    if (scratch == NULL) return NULL;
    scratch->data = pcre2_match_data_create(4, NULL);
    scratch->context = pcre2_match_context_create(NULL);
    scratch->jit_stack = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
    if (scratch->data == NULL || scratch->context == NULL || scratch->jit_stack == NULL) {
        wgshim_match_scratch_free(scratch);
        return NULL;
    }
    pcre2_set_match_limit(scratch->context, match_limit);
    pcre2_set_depth_limit(scratch->context, depth_limit);
    pcre2_set_heap_limit(scratch->context, heap_limit_kib);
    pcre2_jit_stack_assign(scratch->context, NULL, scratch->jit_stack);
    return scratch;
}

void wgshim_match_scratch_free(wgshim_match_scratch *scratch) {
    if (scratch == NULL) return;
    if (scratch->data) pcre2_match_data_free(scratch->data);
    if (scratch->context) pcre2_match_context_free(scratch->context);
    if (scratch->jit_stack) pcre2_jit_stack_free(scratch->jit_stack);
    free(scratch);
}

int32_t wgshim_regex_match(const wgshim_regex *regex, const uint8_t *subject, size_t length, size_t start,
                       size_t start_limit, wgshim_match_scratch *scratch, size_t *match_start,
                       size_t *match_end) {
    // SIZE_MAX is PCRE2_UNSET: no limit.
    pcre2_set_offset_limit(scratch->context, start_limit);
    // pcre2_jit_match skips the checks pcre2_match repeats on every call (the pattern compiled
    // with MATCH_INVALID_UTF, so neither checks the subject's UTF-8); it is documented for
    // JIT-compiled patterns only.
    int rc = regex->jit
        ? pcre2_jit_match(regex->code, (PCRE2_SPTR)subject, length, start, 0, scratch->data, scratch->context)
        : pcre2_match(regex->code, (PCRE2_SPTR)subject, length, start, 0, scratch->data, scratch->context);
    if (rc >= 0) {
        PCRE2_SIZE *ovector = pcre2_get_ovector_pointer(scratch->data);
        *match_start = ovector[0];
        *match_end = ovector[1];
        return 1;
    }
    if (rc == PCRE2_ERROR_NOMATCH) return 0;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) return -1;
    return -2;
}

void wgshim_pcre2_version(char *buffer, size_t cap) {
    pcre2_config(PCRE2_CONFIG_VERSION, buffer);
    (void)cap;
}
