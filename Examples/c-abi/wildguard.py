#!/usr/bin/env python3
"""Screens listings with WildGuard from Python, through the C ABI (libwildguard-c.so) and ctypes.

    python3 wildguard.py [--lib PATH] [--taxonomy DIR] [--policy NAME] [--json] [LISTING ...]

Listings come from the arguments or, when there are none, from standard input, one per line.
Prints "ACTION<TAB>SCORE<TAB>DECIDING_RULE<TAB>LISTING" per listing, or with --json the decision
JSON of each (one line each, in input order). Exit status: 0, or 2 when the engine cannot be loaded.

The WildGuard class below is the whole binding: copy it into your own code.
"""
import argparse
import ctypes
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ABI_VERSION = 1  # WG_ABI_VERSION in wildguard.h
ACTIONS = {0: "allow", 1: "review", 2: "block"}


class WildGuardError(Exception):
    """The engine could not be loaded; the message names the file, line and problem."""


class WildGuard:
    """One loaded engine. Share it between threads; close it (or use `with`) when done."""

    def __init__(self, taxonomy=None, policy=None, library=None):
        self._engine = None  # so that close() and __del__ work whatever fails below
        self._lib = _load_library(library)
        error = ctypes.c_void_p()
        self._engine = self._lib.wg_engine_open(_c_string(taxonomy), _c_string(policy), ctypes.byref(error))
        if not self._engine:
            raise WildGuardError(self._take_string(error.value) or "out of memory")

    def classify(self, text):
        """The decision for one listing (str or UTF-8 bytes), as a dict."""
        data = _utf8(text)
        result = self._take_string(self._lib.wg_classify(self._engine, data, len(data)))
        if result is None:
            raise MemoryError("wg_classify failed (engine closed, or out of memory)")
        return json.loads(result)

    def action(self, text):
        """(action, score) for one listing, without building the JSON."""
        data = _utf8(text)
        score = ctypes.c_double()
        code = self._lib.wg_classify_action(self._engine, data, len(data), ctypes.byref(score))
        if code not in ACTIONS:
            raise ValueError("wg_classify_action failed with status %d" % code)
        return ACTIONS[code], score.value

    def classify_batch(self, texts, jobs=0):
        """Decisions for many listings, in order, classified on `jobs` threads (0: all cores)."""
        data = [_utf8(t) for t in texts]
        n = len(data)
        if n == 0:
            return []
        texts_array = (ctypes.c_char_p * n)(*data)
        lengths = (ctypes.c_size_t * n)(*[len(d) for d in data])
        results = (ctypes.c_void_p * n)()
        status = self._lib.wg_classify_batch(self._engine, texts_array, lengths, n, jobs, results)
        if status != 0:
            raise MemoryError("wg_classify_batch failed with status %d" % status)
        return [json.loads(self._take_string(results[i])) for i in range(n)]

    def close(self):
        if self._engine:
            self._lib.wg_engine_free(self._engine)
            self._engine = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

    def _take_string(self, pointer):
        """Copies a string the library returned into Python and frees it."""
        if not pointer:
            return None
        try:
            return ctypes.string_at(pointer).decode("utf-8")
        finally:
            self._lib.wg_string_free(pointer)


def _load_library(path):
    path = path or os.environ.get("WILDGUARD_LIB") or os.path.join(ROOT, ".build", "debug", "libwildguard-c.so")
    lib = ctypes.CDLL(path)
    # Returned strings are declared as void pointers, not c_char_p, so that ctypes hands back the
    # pointer itself and the string can be freed with wg_string_free after it is copied.
    lib.wg_version.restype = ctypes.c_char_p
    lib.wg_version.argtypes = []
    lib.wg_abi_version.restype = ctypes.c_int
    lib.wg_abi_version.argtypes = []
    lib.wg_engine_open.restype = ctypes.c_void_p
    lib.wg_engine_open.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    lib.wg_engine_free.restype = None
    lib.wg_engine_free.argtypes = [ctypes.c_void_p]
    lib.wg_classify.restype = ctypes.c_void_p
    lib.wg_classify.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.wg_classify_action.restype = ctypes.c_int
    lib.wg_classify_action.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_double)]
    lib.wg_classify_batch.restype = ctypes.c_int
    lib.wg_classify_batch.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(ctypes.c_size_t),
                                      ctypes.c_size_t, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p)]
    lib.wg_string_free.restype = None
    lib.wg_string_free.argtypes = [ctypes.c_void_p]
    if lib.wg_abi_version() != ABI_VERSION:
        raise WildGuardError("%s has ABI %d, this binding expects %d" % (path, lib.wg_abi_version(), ABI_VERSION))
    return lib


def _utf8(text):
    return text if isinstance(text, bytes) else text.encode("utf-8", "surrogateescape")


def _c_string(value):
    return value.encode("utf-8") if isinstance(value, str) else value


def main():
    parser = argparse.ArgumentParser(description="Screen listings with WildGuard through its C ABI.")
    parser.add_argument("--lib", help="path to libwildguard-c.so (default: $WILDGUARD_LIB or .build/debug)")
    parser.add_argument("--taxonomy", default=os.path.join(ROOT, "Taxonomy"), help="taxonomy directory")
    parser.add_argument("--policy", help="policy profile or file (default: strict-marketplace)")
    parser.add_argument("--json", action="store_true", help="print each decision as JSON")
    parser.add_argument("listings", nargs="*", help="listings (default: standard input, one per line)")
    args = parser.parse_args()
    listings = args.listings or [line.rstrip("\r\n") for line in sys.stdin]
    try:
        engine = WildGuard(args.taxonomy, args.policy, args.lib)
    except (WildGuardError, OSError) as error:
        print("wildguard.py: %s" % error, file=sys.stderr)
        return 2
    with engine:
        print("wildguard %s" % engine._lib.wg_version().decode(), file=sys.stderr)
        for text, decision in zip(listings, engine.classify_batch(listings)):
            if args.json:
                print(json.dumps(decision, ensure_ascii=False))
            else:
                print("%s\t%g\t%s\t%s" % (decision["decision"], decision["score"], decision["deciding_rule"] or "-", text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
