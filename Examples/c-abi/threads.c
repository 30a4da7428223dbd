/*
 * threads: shares one WildGuard engine between several POSIX threads and checks that every
 * thread gets exactly the decisions a single thread gets.
 *
 *   threads [TAXONOMY_DIR [THREADS [ROUNDS]]]
 *
 * Each thread classifies the listings below ROUNDS times, in its own order, with wg_classify and
 * wg_classify_action, and runs one wg_classify_batch of its own at the same time as the others.
 * Prints "threads: N threads, M decisions, K mismatches" and exits 0 when K is 0, 1 otherwise,
 * 2 when the engine cannot be loaded.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wildguard.h"

static const char *const listings[] = {
    "Ivory bangle for sale $40",
    "ivory dress for sale",
    "\xe8\xb1\xa1\xe7\x89\x99 carving", /* 象牙 carving */
    "plain blue vase",
    "Carved ivory bangle, 45g, WhatsApp for price",
    "broken \xff\xfe bytes, ivory for sale", /* invalid UTF-8 */
    "",
};
#define LISTINGS (sizeof listings / sizeof listings[0])

static wg_engine *engine;
static char *expected[LISTINGS];
static int expected_action[LISTINGS];
static int rounds = 50;

struct worker {
    pthread_t thread;
    int index;
    long decisions;
    long mismatches;
};

static void *work(void *argument) {
    struct worker *w = argument;
    for (int round = 0; round < rounds; round++) {
        for (size_t k = 0; k < LISTINGS; k++) {
            size_t i = (k + (size_t)w->index + (size_t)round) % LISTINGS; /* a different order per thread */
            char *json = wg_classify(engine, listings[i], strlen(listings[i]));
            double score;
            int action = wg_classify_action(engine, listings[i], strlen(listings[i]), &score);
            if (!json || strcmp(json, expected[i]) != 0 || action != expected_action[i]) w->mismatches++;
            wg_string_free(json);
            w->decisions += 2;
        }
        if (round == rounds / 2) {
            /* A batch of its own, on its own worker threads, while the other threads classify. */
            char *results[LISTINGS];
            if (wg_classify_batch(engine, (const char *const *)listings, NULL, LISTINGS, 2, results) != WG_OK) {
                w->mismatches++;
                continue;
            }
            for (size_t i = 0; i < LISTINGS; i++) {
                /* Batch records carry "id":i where single ones carry "id":null; the rest is equal. */
                const char *batch_rest = strchr(results[i], ',');
                const char *single_rest = strchr(expected[i], ',');
                if (!batch_rest || !single_rest || strcmp(batch_rest, single_rest) != 0) w->mismatches++;
                wg_string_free(results[i]);
                w->decisions++;
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    const char *taxonomy = argc > 1 ? argv[1] : NULL;
    int threads = argc > 2 ? atoi(argv[2]) : 8;
    if (argc > 3) rounds = atoi(argv[3]);
    if (threads < 1 || threads > 256 || rounds < 1) {
        fprintf(stderr, "usage: threads [TAXONOMY_DIR [THREADS [ROUNDS]]]\n");
        return 2;
    }
    char *error = NULL;
    engine = wg_engine_open(taxonomy, NULL, &error);
    if (!engine) {
        fprintf(stderr, "threads: %s\n", error ? error : "out of memory");
        wg_string_free(error);
        return 2;
    }
    for (size_t i = 0; i < LISTINGS; i++) {
        expected[i] = wg_classify(engine, listings[i], strlen(listings[i]));
        expected_action[i] = wg_classify_action(engine, listings[i], strlen(listings[i]), NULL);
        if (!expected[i]) return 2;
    }
    struct worker *workers = calloc((size_t)threads, sizeof *workers);
    if (!workers) return 2;
    for (int t = 0; t < threads; t++) {
        workers[t].index = t;
        if (pthread_create(&workers[t].thread, NULL, work, &workers[t]) != 0) return 2;
    }
    long decisions = 0, mismatches = 0;
    for (int t = 0; t < threads; t++) {
        pthread_join(workers[t].thread, NULL);
        decisions += workers[t].decisions;
        mismatches += workers[t].mismatches;
    }
    printf("threads: %d threads, %ld decisions, %ld mismatches\n", threads, decisions, mismatches);
    for (size_t i = 0; i < LISTINGS; i++) wg_string_free(expected[i]);
    free(workers);
    wg_engine_free(engine);
    return mismatches == 0 ? 0 : 1;
}
