/* Intentionally empty: this module only carries ICU's pkg-config flags and link lines.
   ICU headers are included by CWildGuardShims' .c files alone. */
