/* How types and objects are named in error messages. */
#include "internal.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

const char *pyaot_rt_scalar_name(int kind, int size) {
    switch (kind) {
    case PYAOT_BOOL: return "bool";
    case PYAOT_INT: return size == 1 ? "int8" : size == 2 ? "int16" : size == 4 ? "int32" : "int64";
    case PYAOT_UINT: return size == 1 ? "uint8" : size == 2 ? "uint16" : size == 4 ? "uint32" : "uint64";
    case PYAOT_FLOAT: return size == 4 ? "float32" : "float64";
    case PYAOT_COMPLEX: return size == 8 ? "complex64" : "complex128";
    default: return "?";
    }
}

const char *pyaot_rt_describe(const pyaot_type *t, char *buf, size_t size) {
    if (t->kind == PYAOT_ARRAY)
        snprintf(buf, size, "%s (%d-D %sarray of %s)", t->name, t->ndim, t->layout == 'C' ? "C-contiguous " : "",
                 pyaot_rt_scalar_name(t->elem_kind, t->size));
    else
        snprintf(buf, size, "%s", t->name);
    return buf;
}

int pyaot_rt_format_kind(const char *format, int *kind, int *size) {
    if (!format)
        format = "B";
    bool standard = false; // '<' and '=' use the struct module's standard sizes
    if (*format == '@') {
        format++;
    } else if (*format == '=' || *format == '<') {
        standard = true;
        format++;
    }
    if (format[0] == 'Z' && (format[1] == 'f' || format[1] == 'd') && format[2] == 0) {
        *kind = PYAOT_COMPLEX;
        *size = format[1] == 'f' ? 8 : 16;
        return 1;
    }
    if (!format[0] || format[1])
        return 0;
    switch (format[0]) {
    case '?': *kind = PYAOT_BOOL; *size = 1; return 1;
    case 'b': *kind = PYAOT_INT; *size = 1; return 1;
    case 'B': *kind = PYAOT_UINT; *size = 1; return 1;
    case 'h': *kind = PYAOT_INT; *size = 2; return 1;
    case 'H': *kind = PYAOT_UINT; *size = 2; return 1;
    case 'i': *kind = PYAOT_INT; *size = 4; return 1;
    case 'I': *kind = PYAOT_UINT; *size = 4; return 1;
    case 'l': *kind = PYAOT_INT; *size = standard ? 4 : (int)sizeof(long); return 1;
    case 'L': *kind = PYAOT_UINT; *size = standard ? 4 : (int)sizeof(long); return 1;
    case 'q': case 'n': *kind = PYAOT_INT; *size = 8; return 1;
    case 'Q': case 'N': *kind = PYAOT_UINT; *size = 8; return 1;
    case 'f': *kind = PYAOT_FLOAT; *size = 4; return 1;
    case 'd': *kind = PYAOT_FLOAT; *size = 8; return 1;
    default: return 0;
    }
}
