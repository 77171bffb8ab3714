/* Arithmetic with CPython's exact semantics (the algorithms of
 * Objects/floatobject.c and Objects/complexobject.c), and Numba's integer
 * power. No Python objects except round(x, n), which defers to float.__round__. */
#include "internal.h"

#include <math.h>

int32_t pyaot_rt_pow_u64(uint64_t a, uint64_t b, uint64_t *out) {
    uint64_t r = 1;
    while (b) {
        if (b & 1)
            r *= a;
        a *= a;
        b >>= 1;
    }
    *out = r;
    return 0;
}

int32_t pyaot_rt_pow_i64(int64_t a, int64_t b, int64_t *out) {
    if (b < 0) {
        // Numba: the integer result of a negative power.
        if (a == 0) {
            *out = 0;
            return -1;
        }
        *out = a == 1 ? 1 : a == -1 ? ((b & 1) ? -1 : 1) : 0;
        return 0;
    }
    uint64_t r;
    pyaot_rt_pow_u64((uint64_t)a, (uint64_t)b, &r); // wraps like the hardware
    *out = (int64_t)r;
    return 0;
}

/* CPython's float_divmod, written once for double and float: the floor
 * quotient (exact also near integers) and the remainder with the divisor's
 * sign. Numba computes float32 in float32, so the float version is not the
 * double one rounded. */
#define FLOAT_DIVMOD(T, SUFFIX, FMOD, FLOOR, COPYSIGN)                          \
    T pyaot_rt_floordiv_##SUFFIX(T vx, T wx) {                                  \
        T mod = FMOD(vx, wx);                                                   \
        T div = (vx - mod) / wx;                                                \
        if (mod && (wx < 0) != (mod < 0))                                       \
            div -= (T)1.0;                                                      \
        if (!div)                                                               \
            return COPYSIGN((T)0.0, vx / wx);                                   \
        T floordiv = FLOOR(div);                                                \
        if (div - floordiv > (T)0.5)                                            \
            floordiv += (T)1.0;                                                 \
        return floordiv;                                                        \
    }                                                                           \
    T pyaot_rt_mod_##SUFFIX(T vx, T wx) {                                       \
        T mod = FMOD(vx, wx);                                                   \
        if (!mod)                                                               \
            return COPYSIGN((T)0.0, wx);                                        \
        if ((wx < 0) != (mod < 0))                                              \
            mod += wx;                                                          \
        return mod;                                                             \
    }

FLOAT_DIVMOD(double, f64, fmod, floor, copysign)
FLOAT_DIVMOD(float, f32, fmodf, floorf, copysignf)

typedef struct { double re, im; } Complex;

/* _Py_c_quot; *zero set when b is 0. */
static Complex c_quot(Complex a, Complex b, int *zero) {
    Complex r;
    double abs_br = b.re < 0 ? -b.re : b.re;
    double abs_bi = b.im < 0 ? -b.im : b.im;
    if (abs_br >= abs_bi) {
        if (abs_br == 0.0) {
            *zero = 1;
            r.re = r.im = 0.0;
        } else {
            double ratio = b.im / b.re;
            double denom = b.re + b.im * ratio;
            r.re = (a.re + a.im * ratio) / denom;
            r.im = (a.im - a.re * ratio) / denom;
        }
    } else if (abs_bi >= abs_br) {
        double ratio = b.re / b.im;
        double denom = b.re * ratio + b.im;
        r.re = (a.re * ratio + a.im) / denom;
        r.im = (a.im * ratio - a.re) / denom;
    } else { // a NaN in b
        r.re = r.im = NAN;
    }
    return r;
}

void pyaot_rt_cdiv(double ar, double ai, double br, double bi, double *out) {
    int zero = 0;
    Complex r = c_quot((Complex){ar, ai}, (Complex){br, bi}, &zero);
    out[0] = r.re;
    out[1] = r.im;
}

static Complex c_prod(Complex a, Complex b) {
    return (Complex){a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}

static Complex c_powu(Complex x, long n) {
    Complex r = {1.0, 0.0}, p = x;
    long mask = 1;
    while (mask > 0 && n >= mask) {
        if (n & mask)
            r = c_prod(r, p);
        mask <<= 1;
        p = c_prod(p, p);
    }
    return r;
}

int32_t pyaot_rt_cpow(double ar, double ai, double br, double bi, double *out) {
    Complex a = {ar, ai}, r;
    int zero = 0;
    if (bi == 0.0 && br == floor(br) && fabs(br) <= 100.0) {
        long n = (long)br;
        if (n > 0)
            r = c_powu(a, n);
        else
            r = c_quot((Complex){1.0, 0.0}, c_powu(a, -n), &zero);
    } else if (br == 0.0 && bi == 0.0) {
        r = (Complex){1.0, 0.0};
    } else if (ar == 0.0 && ai == 0.0) {
        zero = bi != 0.0 || br < 0.0;
        r = (Complex){0.0, 0.0};
    } else {
        double vabs = hypot(ar, ai);
        double len = pow(vabs, br);
        double at = atan2(ai, ar);
        double phase = at * br;
        if (bi != 0.0) {
            len /= exp(at * bi);
            phase += bi * log(vabs);
        }
        r = (Complex){len * cos(phase), len * sin(phase)};
    }
    out[0] = r.re;
    out[1] = r.im;
    return zero ? -1 : 0;
}

/* CPython's abs(complex): an infinite part gives inf even beside a NaN, a
 * NaN otherwise gives NaN. C99's hypot has the same rules, so only its NaN
 * is made CPython's (positive, quiet) one: a test after the call rather than
 * two before it, which in a loop like julia's folds into the comparison. */
double pyaot_rt_cabs(double re, double im) {
    double r = hypot(re, im);
    return isnan(r) ? NAN : r;
}

double pyaot_rt_round_ndigits(double x, int64_t ndigits) {
    // Correct rounding needs CPython's dtoa; float.__round__ has it.
    int64_t py = pyaot_rt_python_enter();
    PyObject *f = PyFloat_FromDouble(x);
    PyObject *r = f ? PyObject_CallMethod(f, "__round__", "L", (long long)ndigits) : NULL;
    double v = r ? PyFloat_AsDouble(r) : NAN;
    Py_XDECREF(f);
    Py_XDECREF(r);
    PyErr_Clear();
    pyaot_rt_python_leave(py);
    return v;
}

int64_t pyaot_rt_slice_adjust(int64_t length, int64_t *start, int64_t *stop, int64_t step) {
    if (*start < 0) {
        *start += length;
        if (*start < 0)
            *start = step < 0 ? -1 : 0;
    } else if (*start >= length) {
        *start = step < 0 ? length - 1 : length;
    }
    if (*stop < 0) {
        *stop += length;
        if (*stop < 0)
            *stop = step < 0 ? -1 : 0;
    } else if (*stop >= length) {
        *stop = step < 0 ? length - 1 : length;
    }
    if (step < 0)
        return *stop < *start ? (*start - *stop - 1) / -step + 1 : 0;
    return *start < *stop ? (*stop - *start - 1) / step + 1 : 0;
}

/* ---- numpy's complex power, for element-wise operations on arrays ------
 * numpy's rules: x ** 0 is 1, 0 ** b is 0 for real b > 0 and nan otherwise,
 * a small integer power is repeated multiplication (and a reciprocal, by
 * numpy's division, for a negative one), anything else the C library's
 * cpow. In the precision of the type, as numpy computes it. */
#include <complex.h>

#define DEFINE_NP_CPOW(name, T, cpow_fn)                                                          \
    static void name##_mul(T ar, T ai, T br, T bi, T *re, T *im) {                                \
        *re = ar * br - ai * bi;                                                                  \
        *im = ar * bi + ai * br;                                                                  \
    }                                                                                             \
    void name(T ar, T ai, T br, T bi, T *out) {                                                   \
        if (br == 0 && bi == 0) {                                                                 \
            out[0] = 1;                                                                           \
            out[1] = 0;                                                                           \
            return;                                                                               \
        }                                                                                         \
        if (ar == 0 && ai == 0) {                                                                 \
            out[0] = out[1] = br > 0 && bi == 0 ? (T)0 : (T)NAN;                                  \
            return;                                                                               \
        }                                                                                         \
        int64_t n = (int64_t)br;                                                                  \
        if (bi == 0 && (T)n == br && n > -100 && n < 100) {                                       \
            T re = ar, im = ai;                                                                   \
            if (n == 2 || n == 3) {                                                               \
                T sr, si;                                                                         \
                name##_mul(ar, ai, ar, ai, &sr, &si);                                             \
                re = sr;                                                                          \
                im = si;                                                                          \
                if (n == 3)                                                                       \
                    name##_mul(ar, ai, sr, si, &re, &im);                                         \
            } else if (n != 1) {                                                                  \
                /* by squaring, low bits first */                                                 \
                int64_t k = n < 0 ? -n : n;                                                       \
                T acc_r = 1, acc_i = 0, pr = ar, pi = ai;                                         \
                for (int64_t bit = 1;; bit <<= 1) {                                               \
                    if (k & bit)                                                                  \
                        name##_mul(acc_r, acc_i, pr, pi, &acc_r, &acc_i);                         \
                    if (k < (bit << 1))                                                           \
                        break;                                                                    \
                    name##_mul(pr, pi, pr, pi, &pr, &pi);                                         \
                }                                                                                 \
                re = acc_r;                                                                       \
                im = acc_i;                                                                       \
                if (n < 0) { /* 1 / (re + im j), numpy's division */                              \
                    T ab_r = re < 0 ? -re : re, ab_i = im < 0 ? -im : im;                         \
                    if (ab_r >= ab_i) {                                                           \
                        T rat = im / re, scl = 1 / (re + im * rat);                               \
                        re = scl;                                                                 \
                        im = -rat * scl;                                                          \
                    } else {                                                                      \
                        T rat = re / im, scl = 1 / (im + re * rat);                               \
                        re = rat * scl;                                                           \
                        im = -scl;                                                                \
                    }                                                                             \
                }                                                                                 \
            }                                                                                     \
            out[0] = re;                                                                          \
            out[1] = im;                                                                          \
            return;                                                                               \
        }                                                                                         \
        T complex r = cpow_fn(__builtin_complex(ar, ai), __builtin_complex(br, bi));              \
        out[0] = creal(r);                                                                        \
        out[1] = cimag(r);                                                                        \
    }

DEFINE_NP_CPOW(pyaot_rt_np_cpow, double, cpow)
DEFINE_NP_CPOW(pyaot_rt_np_cpowf, float, cpowf)
