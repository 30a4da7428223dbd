/*
 * classify: screens listings read from standard input, one per line, through the WildGuard C ABI.
 *
 *   classify [--json] [TAXONOMY_DIR [POLICY]] < listings.txt
 *
 * Prints one line per listing: "ACTION<TAB>SCORE<TAB>LISTING" (wg_classify_action, one listing at
 * a time), or with --json the decision JSON of each listing (wg_classify_batch, all listings on
 * all cores, in input order). Exit status: 0, or 2 when the engine cannot be loaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wildguard.h"

static const char *action_name(int action) {
    switch (action) {
    case WG_ALLOW: return "allow";
    case WG_REVIEW: return "review";
    case WG_BLOCK: return "block";
    default: return "error";
    }
}

/* Reads standard input into an array of lines (without their newlines). */
static char **read_lines(size_t *count) {
    size_t capacity = 16;
    char **lines = malloc(capacity * sizeof *lines);
    char *line = NULL;
    size_t size = 0;
    ssize_t length;
    *count = 0;
    while (lines && (length = getline(&line, &size, stdin)) >= 0) {
        while (length > 0 && (line[length - 1] == '\n' || line[length - 1] == '\r')) line[--length] = '\0';
        if (*count == capacity) {
            char **grown = realloc(lines, 2 * capacity * sizeof *lines);
            if (!grown) break;
            lines = grown;
            capacity *= 2;
        }
        lines[(*count)++] = strdup(line);
    }
    free(line);
    return lines;
}

int main(int argc, char **argv) {
    int json = argc > 1 && strcmp(argv[1], "--json") == 0;
    const char *taxonomy = argc > 1 + json ? argv[1 + json] : NULL; /* NULL: $WILDGUARD_TAXONOMY or ./Taxonomy */
    const char *policy = argc > 2 + json ? argv[2 + json] : NULL;   /* NULL: strict-marketplace */

    if (wg_abi_version() != WG_ABI_VERSION) {
        fprintf(stderr, "classify: libwildguard-c has ABI %d, this program was built for %d\n", wg_abi_version(),
                WG_ABI_VERSION);
        return 2;
    }
    char *error = NULL;
    wg_engine *engine = wg_engine_open(taxonomy, policy, &error);
    if (!engine) {
        fprintf(stderr, "classify: %s\n", error ? error : "out of memory");
        wg_string_free(error);
        return 2;
    }
    fprintf(stderr, "wildguard %s\n", wg_version());

    size_t count = 0;
    char **lines = read_lines(&count);
    if (!lines) return 2;
    if (json) {
        char **results = calloc(count ? count : 1, sizeof *results);
        int status = results ? wg_classify_batch(engine, (const char *const *)lines, NULL, count, 0, results) : WG_ENOMEM;
        if (status != WG_OK) {
            fprintf(stderr, "classify: batch failed (%d)\n", status);
            return 2;
        }
        for (size_t i = 0; i < count; i++) {
            puts(results[i]);
            wg_string_free(results[i]);
        }
        free(results);
    } else {
        for (size_t i = 0; i < count; i++) {
            double score = 0;
            int action = wg_classify_action(engine, lines[i], WG_NUL_TERMINATED, &score);
            printf("%s\t%g\t%s\n", action_name(action), score, lines[i]);
        }
    }
    for (size_t i = 0; i < count; i++) free(lines[i]);
    free(lines);
    wg_engine_free(engine);
    return 0;
}
