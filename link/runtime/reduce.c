/* Sums of arrays as floats, in numpy's order, so that a.sum() and a.mean()
 * agree with numpy's to the last bit. numpy adds the items in chunks of
 * 8192 (its buffer size), each chunk pairwise: up to 128 items with eight
 * accumulators, a longer run split in two at a multiple of 8. The chunk sums
 * are added one after another onto 0. Items that are not one evenly strided
 * run of the accumulator's type are gathered a chunk at a time, in C order,
 * converted as numpy's buffer would convert them. */
#include "internal.h"

#include <stdlib.h>

#define CHUNK 8192
#define BLOCK 128

/* numpy's pairwise_sum for one element type (loops_utils.h). */
#define DEFINE_PAIRWISE(name, T)                                                            \
    static T name(const T *a, int64_t n, int64_t stride) {                                  \
        if (n < 8) {                                                                        \
            T res = 0;                                                                      \
            for (int64_t i = 0; i < n; i++)                                                 \
                res += a[i * stride];                                                       \
            return res;                                                                     \
        }                                                                                   \
        if (n <= BLOCK) {                                                                   \
            T r[8];                                                                         \
            for (int j = 0; j < 8; j++)                                                     \
                r[j] = a[j * stride];                                                       \
            int64_t i;                                                                      \
            for (i = 8; i < n - n % 8; i += 8)                                              \
                for (int j = 0; j < 8; j++)                                                 \
                    r[j] += a[(i + j) * stride];                                            \
            T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));      \
            for (; i < n; i++)                                                              \
                res += a[i * stride];                                                       \
            return res;                                                                     \
        }                                                                                   \
        int64_t half = n / 2;                                                               \
        half -= half % 8;                                                                   \
        return name(a, half, stride) + name(a + half * stride, n - half, stride);           \
    }

DEFINE_PAIRWISE(pairwise_f64, double)
DEFINE_PAIRWISE(pairwise_f32, float)

double pyaot_rt_pairwise_f64(const double *items, int64_t n) {
    return pairwise_f64(items, n, 1);
}

float pyaot_rt_pairwise_f32(const float *items, int64_t n) {
    return pairwise_f32(items, n, 1);
}

/* A walk over an array's items in numpy's order for reductions: axes by
 * decreasing stride magnitude (memory order; C order for ties), each axis in
 * its own direction. */
typedef struct Walk {
    const char *data;
    const int64_t *shape, *strides; // strides in items
    int32_t ndim;
    int64_t itemsize;
    int32_t order[64];              // axes, outermost first
    int64_t index[64];
} Walk;

static int64_t magnitude(int64_t x) {
    return x < 0 ? -x : x;
}

static void walk_start(Walk *w, const char *data, const int64_t *shape, const int64_t *strides, int32_t ndim,
                       int64_t itemsize) {
    *w = (Walk){.data = data, .shape = shape, .strides = strides, .ndim = ndim, .itemsize = itemsize};
    for (int32_t k = 0; k < ndim; k++) { // insertion sort, stable
        int32_t j = k;
        while (j > 0 && magnitude(strides[w->order[j - 1]]) < magnitude(strides[k])) {
            w->order[j] = w->order[j - 1];
            j--;
        }
        w->order[j] = k;
    }
}

static const char *walk_next(Walk *w) {
    int64_t offset = 0;
    for (int32_t k = 0; k < w->ndim; k++)
        offset += w->index[k] * w->strides[k];
    for (int32_t k = w->ndim - 1; k >= 0; k--) {
        int32_t axis = w->order[k];
        if (++w->index[axis] < w->shape[axis])
            break;
        w->index[axis] = 0;
    }
    return w->data + offset * w->itemsize;
}

static double item_as_f64(const char *p, int32_t kind, int32_t size) {
    switch (kind) {
    case PYAOT_BOOL: return *(const uint8_t *)p;
    case PYAOT_INT:
        switch (size) {
        case 1: return *(const int8_t *)p;
        case 2: return *(const int16_t *)p;
        case 4: return *(const int32_t *)p;
        default: return (double)*(const int64_t *)p;
        }
    case PYAOT_UINT:
        switch (size) {
        case 1: return *(const uint8_t *)p;
        case 2: return *(const uint16_t *)p;
        case 4: return *(const uint32_t *)p;
        default: return (double)*(const uint64_t *)p;
        }
    default:
        return size == 4 ? *(const float *)p : *(const double *)p;
    }
}

/* The stride (in items) of the one evenly strided run the items form in the
 * walk's order, if they do: any 1-D array, or a C-contiguous one. */
static int one_run(const int64_t *shape, const int64_t *strides, int32_t ndim, int64_t *stride) {
    if (ndim == 1) {
        *stride = strides[0];
        return 1;
    }
    int64_t expected = 1;
    for (int32_t k = ndim - 1; k >= 0; k--) {
        if (shape[k] != 1 && strides[k] != expected)
            return 0;
        expected *= shape[k];
    }
    *stride = 1;
    return 1;
}

static int64_t count_items(const int64_t *shape, int32_t ndim) {
    int64_t n = 1;
    for (int32_t k = 0; k < ndim; k++)
        n *= shape[k];
    return n;
}

/* A sum for one accumulator type T. */
#define DEFINE_SUM(name, T, pairwise)                                                                    \
    int32_t name(const char *data, const int64_t *shape, const int64_t *strides, int32_t ndim, int32_t kind, \
                 int32_t size, T *out) {                                                                  \
        int64_t n = count_items(shape, ndim), stride;                                                     \
        T total = 0;                                                                                      \
        if (n > 0 && kind == PYAOT_FLOAT && size == sizeof(T) && one_run(shape, strides, ndim, &stride)) { \
            for (int64_t at = 0; at < n; at += CHUNK)                                                     \
                total += pairwise((const T *)data + at * stride, n - at < CHUNK ? n - at : CHUNK, stride); \
        } else if (n > 0) {                                                                               \
            T *buffer = malloc(sizeof(T) * (size_t)(n < CHUNK ? n : CHUNK));                              \
            if (!buffer) {                                                                                \
                int64_t py = pyaot_rt_python_enter();                                                     \
                PyErr_NoMemory();                                                                         \
                pyaot_rt_python_leave(py);                                                                \
                return -1;                                                                                \
            }                                                                                             \
            Walk w;                                                                                       \
            walk_start(&w, data, shape, strides, ndim, size);                                             \
            for (int64_t at = 0; at < n; at += CHUNK) {                                                   \
                int64_t len = n - at < CHUNK ? n - at : CHUNK;                                            \
                for (int64_t i = 0; i < len; i++)                                                         \
                    buffer[i] = (T)item_as_f64(walk_next(&w), kind, size);                                \
                total += pairwise(buffer, len, 1);                                                        \
            }                                                                                             \
            free(buffer);                                                                                 \
        }                                                                                                 \
        *out = total;                                                                                     \
        return 0;                                                                                         \
    }

DEFINE_SUM(pyaot_rt_sum_f64, double, pairwise_f64)
DEFINE_SUM(pyaot_rt_sum_f32, float, pairwise_f32)

/* Products multiply item by item in the walk's order, as numpy's do. */
#define DEFINE_PROD(name, T)                                                                          \
    int32_t name(const T *data, const int64_t *shape, const int64_t *strides, int32_t ndim, T *out) { \
        Walk w;                                                                                       \
        walk_start(&w, (const char *)data, shape, strides, ndim, sizeof(T));                          \
        T product = 1;                                                                                \
        for (int64_t i = count_items(shape, ndim); i > 0; i--)                                        \
            product *= *(const T *)walk_next(&w);                                                     \
        *out = product;                                                                               \
        return 0;                                                                                     \
    }

DEFINE_PROD(pyaot_rt_prod_f64, double)
DEFINE_PROD(pyaot_rt_prod_f32, float)
