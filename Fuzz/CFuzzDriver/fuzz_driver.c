// SwiftPM needs one source file in a C target; the module exists for its header.
#include "fuzz_driver.h"
