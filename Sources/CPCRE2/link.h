/* Intentionally empty: this module only carries PCRE2's pkg-config flags and link line.
   pcre2.h is included by CWildGuardShims' .c files alone. */
