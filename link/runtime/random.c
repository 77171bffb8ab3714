/* numpy's legacy random numbers (np.random.seed, rand, randn, randint, ...),
 * bit for bit: the Mersenne Twister with numpy's integer seeding, and the
 * transformations numpy's RandomState keeps frozen since numpy 1.16 (its
 * "legacy" distributions). Every formula below is evaluated in numpy's order
 * of operations; the runtime is compiled with -ffp-contract=off, so nothing
 * is fused and the results agree to the last bit.
 *
 * One generator per thread, as in Numba. pyaot's own linker has no thread-
 * local storage, so the state hangs off a pthread key rather than a
 * _Thread_local variable; it is allocated on a thread's first draw, seeded
 * from the OS, and freed when the thread ends.
 *
 * No Python calls except in pyaot_rt_random_raise: the draws report bad
 * arguments through an error code, and the caller raises. */
#define _GNU_SOURCE // syscall(SYS_getrandom)
#include "internal.h"

#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* ---- The Mersenne Twister (MT19937) --------------------------------------- */

enum { MT_WORDS = 624, MT_SHIFT = 397 };

typedef struct RandomState {
    uint32_t key[MT_WORDS];
    int32_t pos;       // next word to hand out; MT_WORDS: twist first
    int32_t has_gauss; // the polar method makes two normals: one is kept
    double gauss;
} RandomState;

/* Next word of the recurrence from words i, i+1 and i+MT_SHIFT. */
static uint32_t twist_word(uint32_t upper, uint32_t lower, uint32_t far) {
    uint32_t y = (upper & 0x80000000u) | (lower & 0x7fffffffu);
    return far ^ (y >> 1) ^ ((y & 1u) ? 0x9908b0dfu : 0u);
}

static void twist(RandomState *s) {
    uint32_t *k = s->key;
    int i = 0;
    for (; i < MT_WORDS - MT_SHIFT; i++)
        k[i] = twist_word(k[i], k[i + 1], k[i + MT_SHIFT]);
    for (; i < MT_WORDS - 1; i++)
        k[i] = twist_word(k[i], k[i + 1], k[i + MT_SHIFT - MT_WORDS]);
    k[i] = twist_word(k[i], k[0], k[MT_SHIFT - 1]);
    s->pos = 0;
}

static uint32_t next32(RandomState *s) {
    if (s->pos == MT_WORDS)
        twist(s);
    uint32_t y = s->key[s->pos++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

/* numpy's 64-bit draw: the first word is the high half. */
static uint64_t next64(RandomState *s) {
    uint64_t high = next32(s);
    return high << 32 | next32(s);
}

/* A double in [0, 1) with 53 random bits: 27 from one word, 26 from the next. */
static double next_double(RandomState *s) {
    uint32_t high = next32(s) >> 5;
    uint32_t low = next32(s) >> 6;
    return (high * 67108864.0 + low) / 9007199254740992.0;
}

/* numpy's legacy seeding of an integer: the reference generator's linear
 * recurrence (Knuth's multiplier), not init_by_array. */
static void seed_state(RandomState *s, uint32_t seed) {
    s->key[0] = seed;
    for (uint32_t i = 1; i < MT_WORDS; i++) {
        uint32_t prev = s->key[i - 1];
        s->key[i] = 1812433253u * (prev ^ (prev >> 30)) + i;
    }
    s->pos = MT_WORDS;
    s->has_gauss = 0;
    s->gauss = 0.0;
}

/* ---- Seeding from the OS ---------------------------------------------------- */

static int fill_from_getrandom(void *buf, size_t n) {
#ifdef SYS_getrandom
    // Through syscall(): the libc wrapper would tie wheels to glibc 2.25.
    char *p = buf;
    while (n > 0) {
        long got = syscall(SYS_getrandom, p, n, 0);
        if (got <= 0)
            return -1;
        p += got;
        n -= (size_t)got;
    }
    return 0;
#else
    (void)buf;
    (void)n;
    return -1;
#endif
}

static int fill_from_urandom(void *buf, size_t n) {
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char *p = buf;
    while (n > 0) {
        ssize_t got = read(fd, p, n);
        if (got <= 0)
            break;
        p += got;
        n -= (size_t)got;
    }
    close(fd);
    return n == 0 ? 0 : -1;
}

/* SplitMix64's finaliser: spreads a weak seed over all 64 bits. */
static uint64_t mix64(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Last resort: the clocks, the process and where the state lies. */
static void fill_from_time(RandomState *s) {
    struct timespec real = {0, 0}, mono = {0, 0};
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    uint64_t z = mix64((uint64_t)real.tv_sec * 1000000007u + (uint64_t)real.tv_nsec) ^
                 mix64((uint64_t)mono.tv_sec * 1000000007u + (uint64_t)mono.tv_nsec) ^
                 mix64((uint64_t)getpid()) ^ mix64((uint64_t)(uintptr_t)s);
    for (int i = 0; i < MT_WORDS; i++) {
        z += 0x9e3779b97f4a7c15u;
        s->key[i] = (uint32_t)(mix64(z) >> 32);
    }
}

/* As numpy seeds a RandomState given no seed: the whole key from the OS,
 * its first word 0x80000000 so that the state cannot be all zeros. */
static void seed_from_os(RandomState *s) {
    if (fill_from_getrandom(s->key, sizeof s->key) != 0 && fill_from_urandom(s->key, sizeof s->key) != 0)
        fill_from_time(s);
    s->key[0] = 0x80000000u;
    s->pos = MT_WORDS;
    s->has_gauss = 0;
    s->gauss = 0.0;
}

/* ---- One state per thread --------------------------------------------------- */

static pthread_key_t state_key;
static pthread_once_t state_key_once = PTHREAD_ONCE_INIT;
static atomic_int state_key_made; // 1 made, -1 failed, 0 not yet

/* For threads that cannot have their own (no key, no memory): one shared
 * state, still a valid generator. */
static RandomState spare_state;
static atomic_int spare_seeded;

static void release_state(void *s) {
    if (s != &spare_state)
        free(s);
}

static void make_state_key(void) {
    int made = pthread_key_create(&state_key, release_state) == 0;
    atomic_store_explicit(&state_key_made, made ? 1 : -1, memory_order_release);
}

static RandomState *spare(void) {
    if (!atomic_exchange(&spare_seeded, 1))
        seed_from_os(&spare_state);
    return &spare_state;
}

/* The calling thread's first draw. */
static RandomState *new_thread_state(void) {
    pthread_once(&state_key_once, make_state_key);
    if (atomic_load_explicit(&state_key_made, memory_order_acquire) < 0)
        return spare();
    RandomState *s = pthread_getspecific(state_key);
    if (s)
        return s;
    s = malloc(sizeof *s);
    if (!s)
        s = spare(); // kept, so that the thread keeps to one state
    else
        seed_from_os(s);
    if (pthread_setspecific(state_key, s) != 0) {
        release_state(s);
        return spare();
    }
    return s;
}

/* The same pointer for every call in a thread, so declared const, as glibc
 * declares __errno_location: LLVM then fetches it once per compiled
 * function, out of the loops that draw, and not once per draw (a third of
 * the cost of a double). noinline keeps the attribute from being lost in
 * the caller. */
__attribute__((const, noinline)) static RandomState *thread_state(void) {
    if (atomic_load_explicit(&state_key_made, memory_order_acquire) > 0) {
        RandomState *s = pthread_getspecific(state_key);
        if (s)
            return s;
    }
    return new_thread_state();
}

/* ---- Errors ----------------------------------------------------------------- */

static void fail(int32_t *error, int32_t code) {
    if (error)
        *error = code;
}

static void succeed(int32_t *error) {
    if (error)
        *error = PYAOT_RANDOM_OK;
}

/* numpy's exception and words for each code, in enum order. */
static const struct {
    int32_t exc;
    const char *message;
} random_errors[] = {
    [PYAOT_RANDOM_SEED_RANGE] = {PYAOT_EXC_VALUE, "Seed must be between 0 and 2**32 - 1"},
    [PYAOT_RANDOM_LOW_GE_HIGH] = {PYAOT_EXC_VALUE, "low >= high"},
    [PYAOT_RANDOM_HIGH_LE_ZERO] = {PYAOT_EXC_VALUE, "high <= 0"},
    [PYAOT_RANDOM_LAM_NEGATIVE] = {PYAOT_EXC_VALUE, "lam < 0 or lam is NaN"},
    [PYAOT_RANDOM_LAM_TOO_LARGE] = {PYAOT_EXC_VALUE, "lam value too large"},
    [PYAOT_RANDOM_SCALE_NEGATIVE] = {PYAOT_EXC_VALUE, "scale < 0"},
    [PYAOT_RANDOM_RANGE_OVERFLOW] = {PYAOT_EXC_OVERFLOW, "Range exceeds valid bounds"},
};

void pyaot_rt_random_raise(int32_t error) {
    int32_t n = (int32_t)(sizeof random_errors / sizeof random_errors[0]);
    if (error <= PYAOT_RANDOM_OK || error >= n || !random_errors[error].message) {
        pyaot_rt_raise(PYAOT_EXC_VALUE, "invalid random number error");
        return;
    }
    pyaot_rt_raise(random_errors[error].exc, random_errors[error].message);
}

/* ---- Seeding and the draws -------------------------------------------------- */

void pyaot_rt_random_seed(int64_t seed, int32_t *error) {
    if (seed < 0 || seed > (int64_t)UINT32_MAX) {
        fail(error, PYAOT_RANDOM_SEED_RANGE);
        return;
    }
    seed_state(thread_state(), (uint32_t)seed);
    succeed(error);
}

double pyaot_rt_random_double(void) {
    return next_double(thread_state());
}

/* The polar method (Marsaglia's variant of Box-Muller): two uniforms in the
 * unit disc give two normals; the second is returned now, the first kept
 * for the next call. */
static double gauss(RandomState *s) {
    if (s->has_gauss) {
        s->has_gauss = 0;
        double kept = s->gauss;
        s->gauss = 0.0;
        return kept;
    }
    double x1, x2, r2;
    do {
        x1 = 2.0 * next_double(s) - 1.0;
        x2 = 2.0 * next_double(s) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);
    s->gauss = f * x1;
    s->has_gauss = 1;
    return f * x2;
}

double pyaot_rt_random_gauss(void) {
    return gauss(thread_state());
}

double pyaot_rt_random_standard_exponential(void) {
    // -log(1 - U), since U may be 0 but never 1.
    return -log(1.0 - next_double(thread_state()));
}

/* numpy's rule for scale: negative (-0.0 included) is an error, NaN is not. */
static int negative_scale(double scale) {
    return !isnan(scale) && signbit(scale);
}

double pyaot_rt_random_exponential(double scale, int32_t *error) {
    if (negative_scale(scale)) {
        fail(error, PYAOT_RANDOM_SCALE_NEGATIVE);
        return 0.0;
    }
    succeed(error);
    return scale * pyaot_rt_random_standard_exponential();
}

double pyaot_rt_random_uniform(double low, double high, int32_t *error) {
    double range = high - low;
    if (!isfinite(range)) {
        fail(error, PYAOT_RANDOM_RANGE_OVERFLOW);
        return 0.0;
    }
    succeed(error);
    return low + range * next_double(thread_state());
}

double pyaot_rt_random_normal(double loc, double scale, int32_t *error) {
    if (negative_scale(scale)) {
        fail(error, PYAOT_RANDOM_SCALE_NEGATIVE);
        return 0.0;
    }
    succeed(error);
    return loc + scale * gauss(thread_state());
}

/* Masked rejection: draw the bits of the smallest all-ones mask covering
 * max, until the value is at most max. One 32-bit word per try while max
 * fits in 32 bits, else a 64-bit draw. */
uint64_t pyaot_rt_random_interval(uint64_t max) {
    if (max == 0)
        return 0;
    uint64_t mask = max;
    for (int shift = 1; shift < 64; shift *= 2)
        mask |= mask >> shift;
    RandomState *s = thread_state();
    uint64_t value;
    if (max <= UINT32_MAX) {
        do
            value = next32(s) & mask;
        while (value > max);
    } else {
        do
            value = next64(s) & mask;
        while (value > max);
    }
    return value;
}

int64_t pyaot_rt_random_randint(int64_t low, int64_t high, int32_t *error) {
    if (low >= high) {
        // numpy words the one-argument form, randint(high), apart.
        fail(error, low == 0 ? PYAOT_RANDOM_HIGH_LE_ZERO : PYAOT_RANDOM_LOW_GE_HIGH);
        return 0;
    }
    succeed(error);
    uint64_t span = (uint64_t)high - (uint64_t)low - 1; // the closed interval [low, high - 1]
    return (int64_t)((uint64_t)low + pyaot_rt_random_interval(span));
}

void pyaot_rt_random_shuffle(char *data, int64_t n, int64_t stride, int64_t itemsize) {
    char buf[64];
    for (int64_t i = n - 1; i > 0; i--) {
        int64_t j = (int64_t)pyaot_rt_random_interval((uint64_t)i);
        if (j == i)
            continue;
        char *a = data + i * stride, *b = data + j * stride;
        for (int64_t done = 0; done < itemsize; done += (int64_t)sizeof buf) {
            int64_t left = itemsize - done;
            size_t part = left < (int64_t)sizeof buf ? (size_t)left : sizeof buf;
            memcpy(buf, a + done, part);
            memcpy(a + done, b + done, part);
            memcpy(b + done, buf, part);
        }
    }
}

/* ---- Poisson ---------------------------------------------------------------- */

/* log(Gamma(x)) by Stirling's series, shifted up to x >= 7 (numpy's loggam,
 * whose rounding the Poisson rejection test depends on). The coefficients
 * are B(2k) / (2k (2k - 1)) as numpy writes them. */
static double log_gamma(double x) {
    static const double stirling[10] = {
        8.333333333333333e-02, -2.777777777777778e-03, 7.936507936507937e-04, -5.952380952380952e-04,
        8.417508417508418e-04, -1.917526917526918e-03, 6.410256410256410e-03, -2.955065359477124e-02,
        1.796443723688307e-01, -1.39243221690590e+00,
    };
    if (x == 1.0 || x == 2.0)
        return 0.0;
    int64_t shift = x < 7.0 ? (int64_t)(7 - x) : 0;
    double x0 = x + (double)shift;
    double inv2 = (1.0 / x0) * (1.0 / x0);
    double series = stirling[9];
    for (int k = 8; k >= 0; k--) {
        series *= inv2;
        series += stirling[k];
    }
    const double log_2pi = 1.8378770664093453e+00;
    double result = series / x0 + 0.5 * log_2pi + (x0 - 0.5) * log(x0) - x0;
    for (int64_t k = 0; k < shift; k++) {
        result -= log(x0 - 1.0);
        x0 -= 1.0;
    }
    return result;
}

/* C's conversion of floor(x) to int64 as x86-64 performs it: out of range
 * (and NaN) gives INT64_MIN, which numpy's rejection loop then refuses. */
static int64_t floor_to_int64(double x) {
    double f = floor(x);
    if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0))
        return INT64_MIN;
    return (int64_t)f;
}

/* Small lam: count uniforms until their product falls to exp(-lam). */
static int64_t poisson_by_products(RandomState *s, double lam) {
    double limit = exp(-lam);
    double product = 1.0;
    int64_t count = 0;
    for (;;) {
        product *= next_double(s);
        if (product <= limit)
            return count;
        count++;
    }
}

/* Large lam: Hörmann's transformed rejection with squeeze (PTRS), 1993,
 * with numpy's constants. */
static int64_t poisson_by_ptrs(RandomState *s, double lam) {
    double slam = sqrt(lam);
    double loglam = log(lam);
    double b = 0.931 + 2.53 * slam;
    double a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4);
    double vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double u = next_double(s) - 0.5;
        double v = next_double(s);
        double us = 0.5 - fabs(u);
        int64_t k = floor_to_int64((2 * a / us + b) * u + lam + 0.43);
        if (us >= 0.07 && v <= vr)
            return k;
        if (k < 0 || (us < 0.013 && v > us))
            continue;
        double bound = -lam + (double)k * loglam - log_gamma((double)k + 1);
        if (log(v) + log(invalpha) - log(a / (us * us) + b) <= bound)
            return k;
    }
}

int64_t pyaot_rt_random_poisson(double lam, int32_t *error) {
    // numpy's legacy bound: the largest C long, less ten standard deviations.
    const double lam_max = 9223372036854775807.0 - sqrt(9223372036854775807.0) * 10;
    if (!(lam >= 0)) {
        fail(error, PYAOT_RANDOM_LAM_NEGATIVE);
        return 0;
    }
    if (!(lam <= lam_max)) {
        fail(error, PYAOT_RANDOM_LAM_TOO_LARGE);
        return 0;
    }
    succeed(error);
    if (lam == 0)
        return 0;
    RandomState *s = thread_state();
    return lam >= 10 ? poisson_by_ptrs(s, lam) : poisson_by_products(s, lam);
}
