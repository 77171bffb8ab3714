/* Stands in for the runtime's errors.c when test_random.py builds random.c
 * alone: records what pyaot_rt_random_raise asks to raise, so the test can
 * compare the exception and its words with numpy's without a Python
 * exception crossing ctypes. */
#include "pyaot_rt.h"

#include <string.h>

int32_t shim_raised_exc = -1;
char shim_raised_message[256];

void pyaot_rt_raise(int32_t exc, const char *msg) {
    shim_raised_exc = exc;
    strncpy(shim_raised_message, msg, sizeof shim_raised_message - 1);
}
