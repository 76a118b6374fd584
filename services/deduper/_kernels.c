/* The deduper's innermost loops in C: the same results as their Python versions in kernels.py,
 * bit for bit, on the plain input the deduper gives them (tests/deduper/test_kernels.py).
 *
 * Why C helps here: with 100,000 events the term strings and vectors lie all over the heap, and
 * the Python versions build a set, a float or a dict entry per term; the candidate tally also
 * hashes every event it scores, a read of each object, a cache miss each.
 *
 * Plain input only: exact dicts, exact str terms, exact finite float weights. Anything else is a
 * TypeError or ValueError here (the Python versions accept more). So no Python code runs while a
 * loop holds borrowed references, except inside a dict lookup, which may compare a key with a
 * str subclass stored in the other dict: every reference held across a lookup is a strong one.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* The private calls that hand over a key's stored hash: public no longer from Python 3.13 on. */
#if PY_VERSION_HEX < 0x030D0000
#define HAS_KNOWN_HASH 1
#endif

static PyObject *fsum;     /* math.fsum */
static PyObject *reversed; /* builtins.reversed */
static PyObject *sum;      /* builtins.sum */

/* The value under `key` in `dict`, borrowed; NULL with no error set when absent. */
static inline PyObject *
lookup(PyObject *dict, PyObject *key, Py_hash_t hash)
{
#ifdef HAS_KNOWN_HASH
    return _PyDict_GetItem_KnownHash(dict, key, hash);
#else
    (void)hash;
    return PyDict_GetItemWithError(dict, key);
#endif
}

static inline int
next_item(PyObject *dict, Py_ssize_t *pos, PyObject **key, PyObject **value, Py_hash_t *hash)
{
#ifdef HAS_KNOWN_HASH
    return _PyDict_Next(dict, pos, key, value, hash);
#else
    *hash = -1;
    return PyDict_Next(dict, pos, key, value);
#endif
}

/* A weight: an exact float, finite (no __float__ to run, no NaN to order). */
static int
weight_of(PyObject *value, double *out)
{
    if (!PyFloat_CheckExact(value)) {
        PyErr_Format(PyExc_TypeError, "weights must be floats, not %.100s", Py_TYPE(value)->tp_name);
        return 0;
    }
    *out = PyFloat_AS_DOUBLE(value);
    if (!isfinite(*out)) {
        PyErr_SetString(PyExc_ValueError, "weights must be finite");
        return 0;
    }
    return 1;
}

static int
is_term(PyObject *key)
{
    if (PyUnicode_CheckExact(key))
        return 1;
    PyErr_Format(PyExc_TypeError, "terms must be str, not %.100s", Py_TYPE(key)->tp_name);
    return 0;
}

/* A count or size argument: an int; `floor` and `ceiling` clamp it (what the Python versions make
 * of very large or negative values). */
static int
size_arg(PyObject *value, const char *name, Py_ssize_t floor, Py_ssize_t ceiling, Py_ssize_t *out)
{
    if (!PyLong_Check(value)) {
        PyErr_Format(PyExc_TypeError, "%s must be an int", name);
        return 0;
    }
    int overflow;
    long long v = PyLong_AsLongLongAndOverflow(value, &overflow);
    if (v == -1 && PyErr_Occurred())
        return 0;
    if (overflow > 0 || v > ceiling)
        *out = ceiling;
    else if (overflow < 0 || v < floor)
        *out = floor;
    else
        *out = (Py_ssize_t)v;
    return 1;
}

/* The correctly rounded sum of `count` finite values, as math.fsum computes it: Shewchuk's exact
 * partials, summed from the top, with fsum's fix-up for rounding half to even across partials.
 * The partials overwrite `values` as they are read (never more of them than values read).
 * Returns 0 when an intermediate sum overflows: the caller leaves that case to fsum itself. */
static int
exact_sum(double *values, Py_ssize_t count, double *out)
{
    double *partials = values;
    Py_ssize_t n = 0;
    for (Py_ssize_t k = 0; k < count; k++) {
        double x = values[k];
        Py_ssize_t i = 0;
        for (Py_ssize_t j = 0; j < n; j++) {
            double y = partials[j];
            if (fabs(x) < fabs(y)) {
                double t = x;
                x = y;
                y = t;
            }
            double hi = x + y;
            double lo = y - (hi - x);
            if (lo != 0.0)
                partials[i++] = lo;
            x = hi;
        }
        n = i;
        if (x != 0.0) {
            if (!isfinite(x))
                return 0;
            partials[n++] = x;
        }
    }
    double hi = 0.0, lo = 0.0;
    if (n > 0) {
        hi = partials[--n];
        while (n > 0) {
            double x = hi, y = partials[--n];
            hi = x + y;
            lo = y - (hi - x);
            if (lo != 0.0)
                break;
        }
        if (n > 0 && ((lo < 0.0 && partials[n - 1] < 0.0) || (lo > 0.0 && partials[n - 1] > 0.0))) {
            double y = lo * 2.0, x = hi + y;
            if (y == x - hi)
                hi = x;
        }
    }
    *out = hi;
    return 1;
}

/* The products' sum rounded once, as math.fsum rounds it; takes over `products` (PyMem). */
static PyObject *
fsum_of(double *products, Py_ssize_t count)
{
    PyObject *result = NULL;
    int finite = 1;
    for (Py_ssize_t i = 0; i < count && finite; i++)
        finite = isfinite(products[i]);
    double total;
    if (finite) {
        if (exact_sum(products, count, &total))
            result = PyFloat_FromDouble(total);
        else /* what fsum raises when finite values sum past the largest double */
            PyErr_SetString(PyExc_OverflowError, "intermediate overflow in fsum");
    }
    /* An infinite or NaN product: fsum decides (inf, nan, or an error for inf - inf). */
    if (!finite) {
        PyObject *list = PyList_New(count);
        for (Py_ssize_t i = 0; list != NULL && i < count; i++) {
            PyObject *f = PyFloat_FromDouble(products[i]);
            if (f == NULL)
                Py_CLEAR(list);
            else
                PyList_SET_ITEM(list, i, f);
        }
        if (list != NULL)
            result = PyObject_CallOneArg(fsum, list);
        Py_XDECREF(list);
    }
    PyMem_Free(products);
    return result;
}

/* A packed vector (term_arrays.pack): bytes of (int64 term hash, float64 weight) pairs in native
 * order, sorted by term. */
typedef struct {
    const char *data;
    Py_ssize_t count;
} Packed;

static inline int64_t
packed_term(const Packed *p, Py_ssize_t i)
{
    int64_t t;
    memcpy(&t, p->data + 16 * i, 8);
    return t;
}

static inline double
packed_weight(const Packed *p, Py_ssize_t i)
{
    double w;
    memcpy(&w, p->data + 16 * i + 8, 8);
    return w;
}

static int
packed_arg(PyObject *value, Packed *out)
{
    if (!PyBytes_CheckExact(value)) {
        PyErr_Format(PyExc_TypeError, "packed vectors are bytes, not %.100s", Py_TYPE(value)->tp_name);
        return 0;
    }
    Py_ssize_t size = PyBytes_GET_SIZE(value);
    if (size % 16) {
        PyErr_SetString(PyExc_ValueError, "a packed vector holds 16 bytes a term");
        return 0;
    }
    out->data = PyBytes_AS_STRING(value);
    out->count = size / 16;
    for (Py_ssize_t i = 0; i < out->count; i++) {
        if (i > 0 && packed_term(out, i) < packed_term(out, i - 1)) {
            PyErr_SetString(PyExc_ValueError, "a packed vector's terms must be sorted");
            return 0;
        }
        /* As weigh refuses them: with two NaNs, which one a product gives back is the compiler's
         * choice of operand order, so the Python version's bits could not be promised. */
        if (!isfinite(packed_weight(out, i))) {
            PyErr_SetString(PyExc_ValueError, "weights must be finite");
            return 0;
        }
    }
    return 1;
}

typedef struct {
    int64_t term;
    double weight;
    Py_ssize_t order; /* position in the dict: equal hashes keep it (a stable sort) */
} PackItem;

static int
compare_pack_items(const void *x, const void *y)
{
    const PackItem *a = x, *b = y;
    if (a->term != b->term)
        return a->term < b->term ? -1 : 1;
    return (a->order > b->order) - (a->order < b->order);
}

/* pack(vec): see kernels.pack_py. */
static PyObject *
kernels_pack(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 1 || !PyDict_CheckExact(args[0])) {
        PyErr_SetString(PyExc_TypeError, "pack(vector: dict)");
        return NULL;
    }
    PyObject *vec = args[0];
    Py_ssize_t size = PyDict_GET_SIZE(vec), n = 0, pos = 0;
    PackItem *items = PyMem_Malloc((size ? size : 1) * sizeof(PackItem));
    if (items == NULL)
        return PyErr_NoMemory();
    PyObject *key, *value, *result = NULL;
    Py_hash_t hash;
    while (n < size && next_item(vec, &pos, &key, &value, &hash)) {
        double weight;
        if (!is_term(key) || !weight_of(value, &weight))
            goto done;
        if (hash == -1 && (hash = PyObject_Hash(key)) == -1)
            goto done;
        items[n].term = (int64_t)hash;
        items[n].weight = weight;
        items[n].order = n;
        n++;
    }
    qsort(items, n, sizeof(PackItem), compare_pack_items);
    result = PyBytes_FromStringAndSize(NULL, 16 * n);
    if (result == NULL)
        goto done;
    char *out = PyBytes_AS_STRING(result);
    for (Py_ssize_t i = 0; i < n; i++) {
        memcpy(out + 16 * i, &items[i].term, 8);
        memcpy(out + 16 * i + 8, &items[i].weight, 8);
    }
done:
    PyMem_Free(items);
    return result;
}

/* packed_dot(a, b): see kernels.packed_dot_py. A merge join of the two sorted runs: both are read
 * in sequence, and no term string is touched. */
static PyObject *
kernels_packed_dot(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Packed a, b;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "packed_dot(a, b) takes two packed vectors");
        return NULL;
    }
    if (!packed_arg(args[0], &a) || !packed_arg(args[1], &b))
        return NULL;
    Py_ssize_t room = 16, count = 0;
    double *products = PyMem_Malloc(room * sizeof(double));
    if (products == NULL)
        return PyErr_NoMemory();
    Py_ssize_t i = 0, j = 0;
    while (i < a.count && j < b.count) {
        int64_t ta = packed_term(&a, i), tb = packed_term(&b, j);
        if (ta < tb) {
            i++;
            continue;
        }
        if (tb < ta) {
            j++;
            continue;
        }
        /* Equal terms: every pair of the two runs (a run is longer than one only when two terms
         * of one vector share a hash). */
        Py_ssize_t i_end = i + 1, j_end = j + 1;
        while (i_end < a.count && packed_term(&a, i_end) == ta)
            i_end++;
        while (j_end < b.count && packed_term(&b, j_end) == tb)
            j_end++;
        for (Py_ssize_t x = i; x < i_end; x++)
            for (Py_ssize_t y = j; y < j_end; y++) {
                if (count == room) {
                    double *grown = PyMem_Realloc(products, 2 * room * sizeof(double));
                    if (grown == NULL) {
                        PyMem_Free(products);
                        return PyErr_NoMemory();
                    }
                    products = grown;
                    room *= 2;
                }
                products[count++] = packed_weight(&a, x) * packed_weight(&b, y);
            }
        i = i_end;
        j = j_end;
    }
    return fsum_of(products, count);
}

/* The `n` best of `count` finite scores as indices, best first; equal scores keep their index
 * order (what heapq.nlargest and a stable sort give). `best` has room for n. Returns how many. */
static Py_ssize_t
select_best(const double *scores, Py_ssize_t count, Py_ssize_t n, Py_ssize_t *best)
{
    Py_ssize_t filled = 0;
    if (n <= 0)
        return 0;
    for (Py_ssize_t i = 0; i < count; i++) {
        double s = scores[i];
        if (filled == n && !(s > scores[best[n - 1]]))
            continue;
        Py_ssize_t at = filled < n ? filled : n - 1;
        /* After every kept score >= s: an earlier index wins a tie. */
        while (at > 0 && scores[best[at - 1]] < s) {
            best[at] = best[at - 1];
            at--;
        }
        best[at] = i;
        if (filled < n)
            filled++;
    }
    return filled;
}

/* top_terms(vector, n): the n heaviest terms, heaviest first (ties in the dict's order); all
 * terms in the dict's order when there are no more than n. */
static PyObject *
kernels_top_terms(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t n;
    if (nargs != 2 || !PyDict_CheckExact(args[0])) {
        PyErr_SetString(PyExc_TypeError, "top_terms(vector, n) takes a dict and an int");
        return NULL;
    }
    if (!size_arg(args[1], "n", -1, PY_SSIZE_T_MAX, &n))
        return NULL;
    PyObject *vector = args[0];
    Py_ssize_t size = PyDict_GET_SIZE(vector);
    if (size <= n)
        return PySequence_List(vector);
    Py_ssize_t want = n > 0 ? n : 0;
    /* Allocated first: nothing below runs Python code (a collection could) while keys are borrowed. */
    PyObject *result = PyList_New(want);
    PyObject **keys = PyMem_Malloc(size * sizeof(PyObject *));
    double *weights = PyMem_Malloc(size * sizeof(double));
    Py_ssize_t *best = PyMem_Malloc((want ? want : 1) * sizeof(Py_ssize_t));
    if (result == NULL || keys == NULL || weights == NULL || best == NULL) {
        if (result != NULL)
            PyErr_NoMemory();
        Py_CLEAR(result);
        goto done;
    }
    Py_ssize_t pos = 0, i = 0;
    PyObject *key, *value;
    Py_hash_t hash;
    while (i < size && next_item(vector, &pos, &key, &value, &hash)) {
        if (!is_term(key) || !weight_of(value, &weights[i])) {
            Py_CLEAR(result);
            goto done;
        }
        keys[i++] = key;
    }
    Py_ssize_t got = select_best(weights, i, want, best);
    for (Py_ssize_t j = 0; j < got; j++)
        PyList_SET_ITEM(result, j, Py_NewRef(keys[best[j]]));
done:
    PyMem_Free(keys);
    PyMem_Free(weights);
    PyMem_Free(best);
    return result;
}

/* The value rounded to 5 decimals as round(x, 5) does: both take the correctly rounded decimal
 * digits (dtoa mode 3) and read them back with correct rounding. */
static int
round5(double x, double *out)
{
    char *text = PyOS_double_to_string(x, 'f', 5, 0, NULL);
    if (text == NULL)
        return 0;
    *out = PyOS_string_to_double(text, NULL, NULL);
    PyMem_Free(text);
    return !(*out == -1.0 && PyErr_Occurred());
}

/* The largest document count or frequency taken: doubles hold every integer up to here. */
#define MAX_EXACT (1LL << 53)

/* weigh(counts, df, docs, keep, shared, max_shared): see kernels.weigh_py. */
static PyObject *
kernels_weigh(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 6 || !PyDict_CheckExact(args[0]) || !PyDict_Check(args[1]) || !PyDict_CheckExact(args[4])) {
        PyErr_SetString(PyExc_TypeError, "weigh(counts: dict, df: dict, docs, keep, shared: dict, max_shared)");
        return NULL;
    }
    PyObject *counts = args[0], *df = args[1], *shared = args[4];
    Py_ssize_t docs, keep, max_shared;
    if (!size_arg(args[2], "docs", 0, PY_SSIZE_T_MAX, &docs) || !size_arg(args[3], "keep", 0, PY_SSIZE_T_MAX, &keep) ||
        !size_arg(args[5], "max_shared", 0, PY_SSIZE_T_MAX, &max_shared))
        return NULL;
    if (docs < 1 || docs > MAX_EXACT) {
        PyErr_SetString(PyExc_ValueError, "docs must be between 1 and 2**53");
        return NULL;
    }
    Py_ssize_t size = PyDict_GET_SIZE(counts);
    PyObject *result = NULL, *squares = NULL, *total = NULL;
    PyObject **terms = PyMem_Malloc((size ? size : 1) * sizeof(PyObject *)); /* strong references */
    double *weights = PyMem_Malloc((size ? size : 1) * sizeof(double));
    Py_ssize_t *order = PyMem_Malloc((size ? size : 1) * sizeof(Py_ssize_t));
    Py_ssize_t n = 0;
    if (terms == NULL || weights == NULL || order == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* Sublinear TF times IDF, terms counted at least once. */
    Py_ssize_t pos = 0;
    PyObject *term, *value;
    Py_hash_t hash;
    while (n < size && next_item(counts, &pos, &term, &value, &hash)) {
        double c;
        if (!is_term(term) || !weight_of(value, &c))
            goto done;
        if (!(c >= 1.0))
            continue;
        if (hash == -1 && (hash = PyObject_Hash(term)) == -1)
            goto done;
        /* Held from before the lookup, which may run a stored key's __eq__ (and change counts). */
        terms[n++] = Py_NewRef(term);
        PyObject *found = lookup(df, term, hash);
        long long freq = 0;
        if (found != NULL) {
            if (!PyLong_CheckExact(found)) {
                PyErr_SetString(PyExc_TypeError, "document frequencies must be ints");
                goto done;
            }
            freq = PyLong_AsLongLong(found);
            if (freq == -1 && PyErr_Occurred())
                goto done;
        }
        else if (PyErr_Occurred())
            goto done;
        if (freq < 0 || freq >= MAX_EXACT) {
            PyErr_SetString(PyExc_ValueError, "document frequencies must be between 0 and 2**53");
            goto done;
        }
        weights[n - 1] = (1.0 + log(c)) * (log((double)docs / (double)(1 + freq)) + 1.0);
    }
    /* The `keep` heaviest, heaviest first (ties in the counts' order); all, in that order, if fewer. */
    Py_ssize_t kept;
    if (n > keep)
        kept = select_best(weights, n, keep, order);
    else
        for (kept = 0; kept < n; kept++)
            order[kept] = kept;
    /* The norm as Python sums it (builtins.sum: its float summation differs between versions). */
    squares = PyList_New(kept);
    if (squares == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < kept; i++) {
        double w = weights[order[i]];
        PyObject *f = PyFloat_FromDouble(w * w);
        if (f == NULL)
            goto done;
        PyList_SET_ITEM(squares, i, f);
    }
    total = PyObject_CallOneArg(sum, squares);
    if (total == NULL)
        goto done;
    double norm = PyFloat_AsDouble(total);
    if (norm == -1.0 && PyErr_Occurred())
        goto done;
    norm = sqrt(norm);
    result = PyDict_New();
    if (result == NULL || norm == 0)
        goto done;
    for (Py_ssize_t i = 0; i < kept; i++) {
        double r;
        if (!round5(weights[order[i]] / norm, &r))
            goto fail;
        PyObject *w = PyFloat_FromDouble(r);
        if (w == NULL)
            goto fail;
        PyObject *same = PyDict_GetItemWithError(shared, w);
        if (same != NULL) {
            Py_SETREF(w, Py_NewRef(same));
        }
        else if (PyErr_Occurred() ||
                 (PyDict_GET_SIZE(shared) < max_shared && PyDict_SetItem(shared, w, w) < 0)) {
            Py_DECREF(w);
            goto fail;
        }
        PyObject *key = Py_NewRef(terms[order[i]]);
        PyUnicode_InternInPlace(&key);
        int failed = PyDict_SetItem(result, key, w);
        Py_DECREF(key);
        Py_DECREF(w);
        if (failed)
            goto fail;
    }
    goto done;
fail:
    Py_CLEAR(result);
done:
    Py_XDECREF(squares);
    Py_XDECREF(total);
    if (terms != NULL)
        for (Py_ssize_t i = 0; i < n; i++)
            Py_DECREF(terms[i]);
    PyMem_Free(terms);
    PyMem_Free(weights);
    PyMem_Free(order);
    return result;
}

/* What candidates() accumulates: events in the order first met, and their scores.
 *
 * Events are told apart by identity: the candidate index puts an event under all its terms as
 * one object and removes every entry before putting it again. Hashing by address spares a read
 * of every event object (scattered over the heap of a large state: a cache miss each); so does
 * walking a posting dict, whose keys are not strings, so the dict keeps their hashes itself (for
 * string keys it reads each from the string). The events are borrowed from posting lists held
 * for the whole tally, during which no Python code runs. */
typedef struct {
    PyObject **ids;
    double *scores;
    Py_ssize_t count, room;
    Py_ssize_t *table; /* open addressing: index into ids, or -1; size a power of two */
    size_t mask;
} Tally;

static inline size_t
address_hash(PyObject *p)
{
    uintptr_t x = (uintptr_t)p >> 4;
    return (size_t)(x * 0x9E3779B97F4A7C15ull >> 17);
}

static int
tally_grow(Tally *t)
{
    Py_ssize_t room = t->room ? 2 * t->room : 256;
    PyObject **ids = PyMem_Realloc(t->ids, room * sizeof(PyObject *));
    if (ids == NULL)
        return PyErr_NoMemory(), -1;
    t->ids = ids;
    double *scores = PyMem_Realloc(t->scores, room * sizeof(double));
    if (scores == NULL)
        return PyErr_NoMemory(), -1;
    t->scores = scores;
    t->room = room;
    /* The table stays at most half full. */
    size_t size = 2 * (size_t)room;
    Py_ssize_t *table = PyMem_Malloc(size * sizeof(Py_ssize_t));
    if (table == NULL)
        return PyErr_NoMemory(), -1;
    for (size_t i = 0; i < size; i++)
        table[i] = -1;
    for (Py_ssize_t k = 0; k < t->count; k++) {
        size_t at = address_hash(t->ids[k]) & (size - 1);
        while (table[at] != -1)
            at = (at + 1) & (size - 1);
        table[at] = k;
    }
    PyMem_Free(t->table);
    t->table = table;
    t->mask = size - 1;
    return 0;
}

static int
tally_add(Tally *t, PyObject *event_id, double weight)
{
    if (t->count == t->room && tally_grow(t) < 0)
        return -1;
    size_t at = address_hash(event_id) & t->mask;
    Py_ssize_t k;
    while ((k = t->table[at]) != -1) {
        if (t->ids[k] == event_id) {
            t->scores[k] += weight;
            return 0;
        }
        at = (at + 1) & t->mask;
    }
    t->table[at] = t->count;
    t->ids[t->count] = event_id;
    t->scores[t->count] = 0.0 + weight;
    t->count++;
    return 0;
}

/* A posting list this long or shorter is walked from its start to reach its newest `scan`
 * entries (reading entries in order is cheap); a longer one is read backwards. */
#define WALK_FACTOR 16

/* One term of a lookup: its posting list (a strong reference, NULL when the term has none), its
 * query weight, and for a long list the iterator that reads it backwards. */
typedef struct {
    PyObject *posting;
    PyObject *backwards;
    double weight;
} Source;

/* candidates(postings, terms, query, scan, limit): see kernels.candidates_py.
 *
 * Two phases: the first looks every term up (dict lookups may run a stored key's __eq__) and
 * keeps strong references to what it finds; the second tallies and runs no Python code. */
static PyObject *
kernels_candidates(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    Py_ssize_t scan, limit;
    if (nargs != 5 || !PyDict_CheckExact(args[0]) || !PyDict_CheckExact(args[2])) {
        PyErr_SetString(PyExc_TypeError, "candidates(postings: dict, terms, query: dict, scan, limit)");
        return NULL;
    }
    if (!size_arg(args[3], "scan", PY_SSIZE_T_MIN, PY_SSIZE_T_MAX / WALK_FACTOR, &scan) ||
        !size_arg(args[4], "limit", 0, PY_SSIZE_T_MAX, &limit))
        return NULL;
    if (scan < 0) {
        PyErr_SetString(PyExc_ValueError, "scan must be >= 0");
        return NULL;
    }
    PyObject *postings = args[0], *query = args[2];
    PyObject *terms = PySequence_Tuple(args[1]); /* a list given could change under us */
    if (terms == NULL)
        return NULL;
    Py_ssize_t n_terms = PyTuple_GET_SIZE(terms);
    PyObject *result = NULL;
    PyObject **newest = NULL, **top = NULL;
    Py_ssize_t *best = NULL, got = 0;
    Tally t = {NULL, NULL, 0, 0, NULL, 0};
    Source *sources = PyMem_Calloc(n_terms ? n_terms : 1, sizeof(Source));
    if (sources == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t longest = 0;
    for (Py_ssize_t k = 0; k < n_terms; k++) {
        PyObject *term = PyTuple_GET_ITEM(terms, k);
        if (!is_term(term))
            goto done;
        PyObject *posting = PyDict_GetItemWithError(postings, term);
        if (posting == NULL) {
            if (PyErr_Occurred())
                goto done;
            continue;
        }
        if (PyDict_Check(posting) && !PyDict_CheckExact(posting)) {
            PyErr_SetString(PyExc_TypeError, "a posting list is an event or a dict of them, not a dict subclass");
            goto done;
        }
        Source *s = &sources[k];
        s->posting = Py_NewRef(posting);
        Py_ssize_t size = PyDict_CheckExact(posting) ? PyDict_GET_SIZE(posting) : 1;
        if (size == 0) {
            Py_CLEAR(s->posting); /* an empty list counts for nothing, and needs no weight */
            continue;
        }
        PyObject *w = PyDict_GetItemWithError(query, term);
        if (w == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, term);
            goto done;
        }
        if (!weight_of(w, &s->weight))
            goto done;
        if (PyDict_CheckExact(posting) && size > WALK_FACTOR * scan) {
            s->backwards = PyObject_CallOneArg(reversed, posting);
            if (s->backwards == NULL)
                goto done;
            longest = scan;
        }
    }
    /* Phase two: from here until the best are referenced, no Python code runs. */
    if (tally_grow(&t) < 0)
        goto done;
    if (longest > 0 && (newest = PyMem_Malloc(longest * sizeof(PyObject *))) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n_terms; k++) {
        Source *s = &sources[k];
        if (s->posting == NULL)
            continue;
        if (!PyDict_CheckExact(s->posting)) {
            if (tally_add(&t, s->posting, s->weight) < 0)
                goto done;
            continue;
        }
        if (s->backwards == NULL) {
            /* The newest `scan` (all of a short list), oldest first. */
            Py_ssize_t size = PyDict_GET_SIZE(s->posting);
            Py_ssize_t skip = size > scan ? size - scan : 0;
            Py_ssize_t pos = 0;
            PyObject *event_id, *ignored;
            Py_hash_t hash;
            while (next_item(s->posting, &pos, &event_id, &ignored, &hash)) {
                if (skip > 0) {
                    skip--;
                    continue;
                }
                if (tally_add(&t, event_id, s->weight) < 0)
                    goto done;
            }
            continue;
        }
        /* A dict's reverse iterator yields its own keys: the references returned can go at once. */
        Py_ssize_t read = 0;
        PyObject *event_id;
        while (read < scan && (event_id = PyIter_Next(s->backwards)) != NULL) {
            newest[read++] = event_id;
            Py_DECREF(event_id);
        }
        if (PyErr_Occurred())
            goto done;
        for (Py_ssize_t i = read - 1; i >= 0; i--)
            if (tally_add(&t, newest[i], s->weight) < 0)
                goto done;
    }
    Py_ssize_t n = limit < t.count ? limit : t.count;
    if (n > 0) {
        best = PyMem_Malloc(n * sizeof(Py_ssize_t));
        top = PyMem_Malloc(n * sizeof(PyObject *));
        if (best == NULL || top == NULL) {
            PyErr_NoMemory();
            goto done;
        }
        got = select_best(t.scores, t.count, n, best);
        for (Py_ssize_t j = 0; j < got; j++)
            top[j] = Py_NewRef(t.ids[best[j]]);
    }
    /* End of phase two. */
    result = PyList_New(got);
    if (result == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < got; j++)
        PyList_SET_ITEM(result, j, top[j]);
    got = 0; /* the list owns them now */
done:
    for (Py_ssize_t j = 0; j < got; j++)
        Py_DECREF(top[j]);
    if (sources != NULL)
        for (Py_ssize_t k = 0; k < n_terms; k++) {
            Py_XDECREF(sources[k].posting);
            Py_XDECREF(sources[k].backwards);
        }
    PyMem_Free(sources);
    Py_DECREF(terms);
    PyMem_Free(t.ids);
    PyMem_Free(t.scores);
    PyMem_Free(t.table);
    PyMem_Free(newest);
    PyMem_Free(best);
    PyMem_Free(top);
    return result;
}

/* --- block_products: the pair sums behind regrouping's block cosines ----------------------- */

/* A C-contiguous buffer of `ndim` dimensions of `itemsize`-byte native-order items of one of
 * `kinds` (struct format letters), writable if asked. */
static int
get_buffer(PyObject *obj, Py_buffer *view, const char *kinds, Py_ssize_t itemsize, int ndim, int writable,
           const char *name)
{
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, view, flags) != 0)
        return 0;
    const char *format = view->format ? view->format : "B";
    if (*format == '=' || *format == '@' || (PY_LITTLE_ENDIAN && *format == '<'))
        format++;
    if (view->itemsize != itemsize || format[0] == '\0' || format[1] != '\0' || strchr(kinds, format[0]) == NULL) {
        PyErr_Format(PyExc_TypeError, "%s: wrong item type ('%s', %zd bytes)", name, view->format, view->itemsize);
        PyBuffer_Release(view);
        return 0;
    }
    if (view->ndim != ndim || view->shape == NULL) {
        PyErr_Format(PyExc_ValueError, "%s: %d dimension(s) expected", name, ndim);
        PyBuffer_Release(view);
        return 0;
    }
    return 1;
}

static int
overlap(const Py_buffer *a, const Py_buffer *b)
{
    const char *x = a->buf, *y = b->buf;
    return a->len > 0 && b->len > 0 && x < y + b->len && y < x + a->len;
}

static int
all_zero_bytes(const Py_buffer *view)
{
    /* Eight bytes at a time (memcpy: no alignment assumed), then the rest. */
    const unsigned char *byte = view->buf;
    unsigned long long any = 0, word;
    Py_ssize_t i = 0;
    for (; i + 8 <= view->len; i += 8) {
        memcpy(&word, byte + i, 8);
        any |= word;
    }
    for (; i < view->len; i++)
        any |= byte[i];
    return any == 0;
}

/* block_products(terms, units, rows, weight2, plain, local, by_df): `terms` (int64) and `units`
 * (int32, 0..100000) are the block's vector entries, `rows` (int64, non-decreasing, < n) the
 * article of each, `weight2` (n + 1 doubles) the squared local weight by block document
 * frequency. Fills the zeroed n x n `plain` and `local` and the n x (n + 1) `by_df` exactly as
 * kernels.block_products_py computes them; see there for what they hold. */
static PyObject *
kernels_block_products(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 7) {
        PyErr_SetString(PyExc_TypeError, "block_products takes 7 arguments");
        return NULL;
    }
    /* The arguments in order: item kinds, item size, dimensions, writable, name. */
    static const struct {
        const char *kinds;
        Py_ssize_t itemsize;
        int ndim, writable;
        const char *name;
    } spec[7] = {
        {"qlLQ", 8, 1, 0, "terms"}, {"iI", 4, 1, 0, "units"}, {"qlLQ", 8, 1, 0, "rows"},
        {"d", 8, 1, 0, "weight2"}, {"d", 8, 2, 1, "plain"}, {"d", 8, 2, 1, "local"}, {"d", 8, 2, 1, "by_df"},
    };
    Py_buffer view[7];
    Py_buffer *const tv = &view[0], *const uv = &view[1], *const rv = &view[2], *const wv = &view[3];
    Py_buffer *const pv = &view[4], *const lv = &view[5], *const bv = &view[6];
    int got = 0;
    PyObject *result = NULL;
    Py_ssize_t *col = NULL, *start = NULL, *fill = NULL, *order = NULL, *run_start = NULL;
    Py_ssize_t *holder_row = NULL, *touched = NULL;
    long long *keys = NULL;
    Py_ssize_t *slots = NULL;
    double *holder_unit = NULL, *pairs = NULL;
    unsigned char *listed = NULL;
    for (; got < 7; got++)
        if (!get_buffer(args[got], &view[got], spec[got].kinds, spec[got].itemsize, spec[got].ndim,
                        spec[got].writable, spec[got].name))
            goto done;
    const long long *term = tv->buf;
    const int *unit = uv->buf;
    const long long *row = rv->buf;
    const double *weight2 = wv->buf;
    double *plain = pv->buf, *local = lv->buf, *by_df = bv->buf;
    Py_ssize_t count = tv->shape[0], n = wv->shape[0] - 1;
    if (n < 0 || n > PY_SSIZE_T_MAX / 8 / (n + 1) || uv->shape[0] != count || rv->shape[0] != count
            || pv->shape[0] != n || pv->shape[1] != n || lv->shape[0] != n || lv->shape[1] != n
            || bv->shape[0] != n || bv->shape[1] != n + 1) {
        PyErr_SetString(PyExc_ValueError, "block_products: the arrays' shapes do not fit together");
        goto done;
    }
    /* The outputs are written while the inputs are read: no two of them may share memory. */
    const Py_buffer *inputs[] = {tv, uv, rv, wv}, *outputs[] = {pv, lv, bv};
    for (int o = 0; o < 3; o++) {
        int shared_memory = 0;
        for (int i = 0; i < 4; i++)
            shared_memory |= overlap(outputs[o], inputs[i]);
        for (int p = o + 1; p < 3; p++)
            shared_memory |= overlap(outputs[o], outputs[p]);
        if (shared_memory || !all_zero_bytes(outputs[o])) {
            PyErr_SetString(PyExc_ValueError,
                            "block_products: plain, local and by_df must be distinct arrays of +0.0");
            goto done;
        }
    }
    for (Py_ssize_t d = 0; d <= n; d++) {
        if (!isfinite(weight2[d])) {
            PyErr_SetString(PyExc_ValueError, "block_products: weight2 must be finite");
            goto done;
        }
    }
    /* Each article's sum of squared units below 2**53 bounds every sum below (Cauchy-Schwarz),
     * so all of them are whole numbers held exactly, whatever order they are added in. */
    double squares = 0.0;
    for (Py_ssize_t e = 0; e < count; e++) {
        if (row[e] < 0 || row[e] >= n || (e > 0 && row[e] < row[e - 1]) || unit[e] < 0 || unit[e] > 100000) {
            PyErr_SetString(PyExc_ValueError,
                            "block_products: rows must be non-decreasing article numbers, units 0..100000");
            goto done;
        }
        if (e > 0 && row[e] != row[e - 1])
            squares = 0.0;
        squares += (double)unit[e] * (double)unit[e];
        if (squares >= 9007199254740992.0) {
            PyErr_SetString(PyExc_ValueError, "block_products: an article's squared units sum past 2**53");
            goto done;
        }
    }
    /* Columns: one per distinct term, numbered as met; df counts entries, as np.bincount does. */
    size_t capacity = 16;
    while (capacity < 2 * (size_t)count + 2)
        capacity *= 2;
    keys = PyMem_Malloc(capacity * sizeof(long long));
    slots = PyMem_Malloc(capacity * sizeof(Py_ssize_t));
    col = PyMem_Malloc((count + 1) * sizeof(Py_ssize_t));
    start = PyMem_Calloc(count + 2, sizeof(Py_ssize_t)); /* entries per column: its df */
    if (!keys || !slots || !col || !start) {
        PyErr_NoMemory();
        goto done;
    }
    for (size_t i = 0; i < capacity; i++)
        slots[i] = -1;
    Py_ssize_t columns = 0;
    for (Py_ssize_t e = 0; e < count; e++) {
        size_t h = (size_t)(((unsigned long long)term[e] * 0x9E3779B97F4A7C15ULL) >> 20) & (capacity - 1);
        while (slots[h] >= 0 && keys[h] != term[e])
            h = (h + 1) & (capacity - 1);
        if (slots[h] < 0) {
            keys[h] = term[e];
            slots[h] = columns++;
        }
        col[e] = slots[h];
        start[col[e]]++;
    }
    for (Py_ssize_t c = 0; c < columns; c++) {
        if (start[c] > n) { /* only a term listed twice by one article gets here */
            PyErr_SetString(PyExc_ValueError, "block_products: a term has more entries than the block has articles");
            goto done;
        }
    }
    /* Squared norms by (article, df) of its terms: sums of whole numbers, exact. */
    for (Py_ssize_t e = 0; e < count; e++) {
        double u = (double)unit[e];
        by_df[row[e] * (n + 1) + start[col[e]]] += u * u;
    }
    /* The shared columns (df > 1) by df, ascending: counting sort. */
    order = PyMem_Malloc((columns + 1) * sizeof(Py_ssize_t));
    run_start = PyMem_Calloc(count + 2, sizeof(Py_ssize_t));
    if (!order || !run_start) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t c = 0; c < columns; c++)
        if (start[c] > 1)
            run_start[start[c]]++;
    Py_ssize_t shared = 0;
    for (Py_ssize_t d = 0; d <= count + 1; d++) {
        Py_ssize_t k = run_start[d];
        run_start[d] = shared;
        shared += k;
    }
    Py_ssize_t *place = PyMem_Malloc((count + 2) * sizeof(Py_ssize_t));
    if (!place) {
        PyErr_NoMemory();
        goto done;
    }
    memcpy(place, run_start, (count + 2) * sizeof(Py_ssize_t));
    for (Py_ssize_t c = 0; c < columns; c++)
        if (start[c] > 1)
            order[place[start[c]]++] = c;
    PyMem_Free(place);
    /* Holders of each column, in entry order; a second entry of one article for one column (two
     * terms with one hash) overwrites the first, as the dense matrix's assignment does. */
    Py_ssize_t *df = start;
    fill = PyMem_Calloc(columns + 1, sizeof(Py_ssize_t));
    Py_ssize_t *offset = PyMem_Malloc((columns + 1) * sizeof(Py_ssize_t));
    holder_row = PyMem_Malloc((count + 1) * sizeof(Py_ssize_t));
    holder_unit = PyMem_Malloc((count + 1) * sizeof(double));
    if (!fill || !offset || !holder_row || !holder_unit) {
        PyMem_Free(offset);
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t at = 0;
    for (Py_ssize_t c = 0; c < columns; c++) {
        offset[c] = at;
        at += df[c];
    }
    for (Py_ssize_t e = 0; e < count; e++) {
        Py_ssize_t c = col[e];
        if (df[c] < 2)
            continue;
        Py_ssize_t k = fill[c];
        if (k > 0 && holder_row[offset[c] + k - 1] == row[e]) {
            holder_unit[offset[c] + k - 1] = (double)unit[e];
            continue;
        }
        holder_row[offset[c] + k] = row[e];
        holder_unit[offset[c] + k] = (double)unit[e];
        fill[c] = k + 1;
    }
    /* Each run of equal df: its pair sums (whole numbers, exact in any order), then plain gets
     * them and local gets weight2[df] times them, runs in ascending df as the Python version
     * adds them (a pair a run does not touch would add 0.0 there: no change). */
    pairs = PyMem_Calloc((size_t)n * n + 1, sizeof(double));
    touched = PyMem_Malloc(((size_t)n * n + 1) * sizeof(Py_ssize_t));
    listed = PyMem_Calloc((size_t)n * n + 1, 1);
    if (!pairs || !touched || !listed) {
        PyMem_Free(offset);
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t r = 0;
    while (r < shared) {
        Py_ssize_t d = df[order[r]], touches = 0;
        for (; r < shared && df[order[r]] == d; r++) {
            Py_ssize_t c = order[r], base = offset[c], k = fill[c];
            for (Py_ssize_t x = 0; x < k; x++) {
                Py_ssize_t i = holder_row[base + x];
                double ux = holder_unit[base + x];
                for (Py_ssize_t y = x + 1; y < k; y++) {
                    Py_ssize_t cell = i * n + holder_row[base + y];
                    if (!listed[cell]) {
                        listed[cell] = 1;
                        touched[touches++] = cell;
                    }
                    pairs[cell] += ux * holder_unit[base + y];
                }
            }
        }
        double w = weight2[d];
        for (Py_ssize_t t = 0; t < touches; t++) {
            Py_ssize_t cell = touched[t];
            plain[cell] += pairs[cell];
            local[cell] += w * pairs[cell];
            pairs[cell] = 0.0;
            listed[cell] = 0;
        }
    }
    PyMem_Free(offset);
    for (Py_ssize_t i = 0; i < n; i++)
        for (Py_ssize_t j = i + 1; j < n; j++) {
            plain[j * n + i] = plain[i * n + j];
            local[j * n + i] = local[i * n + j];
        }
    result = Py_NewRef(Py_None);
done:
    while (got > 0)
        PyBuffer_Release(&view[--got]);
    PyMem_Free(keys);
    PyMem_Free(slots);
    PyMem_Free(col);
    PyMem_Free(start);
    PyMem_Free(order);
    PyMem_Free(run_start);
    PyMem_Free(fill);
    PyMem_Free(holder_row);
    PyMem_Free(holder_unit);
    PyMem_Free(pairs);
    PyMem_Free(touched);
    PyMem_Free(listed);
    return result;
}

static PyMethodDef kernels_methods[] = {
    {"pack", (PyCFunction)(void (*)(void))kernels_pack, METH_FASTCALL,
     "pack(vector) -> bytes: (term hash, weight) pairs sorted by hash."},
    {"packed_dot", (PyCFunction)(void (*)(void))kernels_packed_dot, METH_FASTCALL,
     "packed_dot(a, b) -> float: sum of the weight products over shared terms, rounded once."},
    {"top_terms", (PyCFunction)(void (*)(void))kernels_top_terms, METH_FASTCALL,
     "top_terms(vector, n) -> list: the n heaviest terms, heaviest first."},
    {"weigh", (PyCFunction)(void (*)(void))kernels_weigh, METH_FASTCALL,
     "weigh(counts, df, docs, keep, shared, max_shared) -> dict: unit TF-IDF vector, rounded."},
    {"candidates", (PyCFunction)(void (*)(void))kernels_candidates, METH_FASTCALL,
     "candidates(postings, terms, query, scan, limit) -> list: best partial overlap first."},
    {"block_products", (PyCFunction)(void (*)(void))kernels_block_products, METH_FASTCALL,
     "block_products(terms, units, rows, weight2, plain, local, by_df): regrouping's pair sums."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef kernels_module = {
    PyModuleDef_HEAD_INIT, "_kernels", "The deduper's inner loops in C (see kernels.py).", -1, kernels_methods,
    NULL, NULL, NULL, NULL,
};

static PyObject *
attribute(const char *module_name, const char *name)
{
    PyObject *module = PyImport_ImportModule(module_name);
    if (module == NULL)
        return NULL;
    PyObject *found = PyObject_GetAttrString(module, name);
    Py_DECREF(module);
    return found;
}

PyMODINIT_FUNC
PyInit__kernels(void)
{
    if (fsum == NULL && (fsum = attribute("math", "fsum")) == NULL)
        return NULL;
    if (reversed == NULL && (reversed = attribute("builtins", "reversed")) == NULL)
        return NULL;
    if (sum == NULL && (sum = attribute("builtins", "sum")) == NULL)
        return NULL;
    return PyModule_Create(&kernels_module);
}
