/* Sizes of the runtime's structs, read by lower/ from the bitcode (it keeps
 * these structs on the wrappers' stacks without including Python.h). The
 * attribute keeps them in the bitcode although nothing here uses them. */
#include "pyaot_rt.h"

__attribute__((used, visibility("default"))) const int64_t pyaot_rt_sizeof_py_buffer = sizeof(Py_buffer);
__attribute__((used, visibility("default"))) const int64_t pyaot_rt_sizeof_meminfo = sizeof(pyaot_meminfo);
__attribute__((used, visibility("default"))) const int64_t pyaot_rt_sizeof_jmp_buf = sizeof(jmp_buf);
