/* The deduper's innermost loops in C: the same results as their Python versions in kernels.py,
 * bit for bit (tests/deduper/test_kernels.py compares them), without an interpreter step per term.
 *
 * Why C helps here: with 100,000 events the term strings and vectors lie all over the heap, and
 * Python code touches every key object (to read its hash) and builds a set or a float per term.
 * The dict entries already hold each key's hash, so iterating one dict and probing another by
 * known hash reads neither the key strings nor the values that do not match.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>

/* Python 3.13 moved the known-hash lookup out of the public headers: use the public calls there. */
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

static int
as_double(PyObject *value, double *out)
{
    *out = PyFloat_AsDouble(value);
    return !(*out == -1.0 && PyErr_Occurred());
}

/* dot(a, b): sum of a[t] * b[t] over the terms both hold, rounded once like math.fsum (the
 * Python version sums with fsum so that the result does not depend on the hash seed). */
static PyObject *
kernels_dot(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyDict_Check(args[0]) || !PyDict_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "dot(a, b) takes two dicts of term -> weight");
        return NULL;
    }
    PyObject *a = args[0], *b = args[1];
    if (PyDict_GET_SIZE(a) > PyDict_GET_SIZE(b)) {
        PyObject *t = a;
        a = b;
        b = t;
    }
    double stack[64];
    double *products = stack;
    Py_ssize_t shared = 0, room = 64;
    Py_ssize_t pos = 0;
    PyObject *key, *value, *other;
    Py_hash_t hash;
    while (next_item(a, &pos, &key, &value, &hash)) {
        other = lookup(b, key, hash);
        if (other == NULL) {
            if (PyErr_Occurred())
                goto error;
            continue;
        }
        double x, y;
        if (!as_double(value, &x) || !as_double(other, &y))
            goto error;
        if (shared == room) {
            double *grown = PyMem_Malloc(2 * room * sizeof(double));
            if (grown == NULL) {
                PyErr_NoMemory();
                goto error;
            }
            memcpy(grown, products, shared * sizeof(double));
            if (products != stack)
                PyMem_Free(products);
            products = grown;
            room *= 2;
        }
        products[shared++] = x * y;
    }
    PyObject *result;
    if (shared <= 2) {
        /* fsum of one or two values is their correctly rounded sum: one IEEE addition. */
        result = PyFloat_FromDouble(shared == 0 ? 0.0 : shared == 1 ? products[0] : products[0] + products[1]);
    }
    else {
        PyObject *list = PyList_New(shared);
        if (list == NULL)
            goto error;
        for (Py_ssize_t i = 0; i < shared; i++) {
            PyObject *f = PyFloat_FromDouble(products[i]);
            if (f == NULL) {
                Py_DECREF(list);
                goto error;
            }
            PyList_SET_ITEM(list, i, f);
        }
        result = PyObject_CallOneArg(fsum, list);
        Py_DECREF(list);
    }
    if (products != stack)
        PyMem_Free(products);
    return result;
error:
    if (products != stack)
        PyMem_Free(products);
    return NULL;
}

/* The `n` best of `count` scores as indices, best first; equal scores keep their index order
 * (what heapq.nlargest and a stable sort give). `best` has room for n. Returns how many. */
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
    if (nargs != 2 || !PyDict_Check(args[0]) || !PyLong_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "top_terms(vector, n) takes a dict and an int");
        return NULL;
    }
    PyObject *vector = args[0];
    Py_ssize_t n = PyLong_AsSsize_t(args[1]);
    if (n == -1 && PyErr_Occurred())
        return NULL;
    Py_ssize_t size = PyDict_GET_SIZE(vector);
    if (size <= n)
        return PySequence_List(vector);
    PyObject *result = NULL;
    PyObject **keys = PyMem_Malloc(size * sizeof(PyObject *));
    double *weights = PyMem_Malloc(size * sizeof(double));
    Py_ssize_t *best = PyMem_Malloc((n > 0 ? n : 1) * sizeof(Py_ssize_t));
    if (keys == NULL || weights == NULL || best == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t pos = 0, i = 0;
    PyObject *key, *value;
    Py_hash_t hash;
    while (next_item(vector, &pos, &key, &value, &hash)) {
        keys[i] = key; /* borrowed: the dict holds them, and nothing here can change it */
        if (!as_double(value, &weights[i]))
            goto done;
        i++;
    }
    Py_ssize_t got = select_best(weights, i, n, best);
    result = PyList_New(got);
    if (result == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < got; j++)
        PyList_SET_ITEM(result, j, Py_NewRef(keys[best[j]]));
done:
    PyMem_Free(keys);
    PyMem_Free(weights);
    PyMem_Free(best);
    return result;
}

/* What candidates() accumulates: event ids in the order first met, and their scores.
 *
 * Ids are told apart by identity, not by value: the candidate index puts an event under all its
 * terms with one string object and removes every entry before putting it again, so within its
 * posting lists one event is one object. Hashing by address spares a read of every id string
 * (scattered over the heap of a large state: a cache miss each, which is what the Python version
 * spends its time on). */
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
    t->ids[t->count] = event_id; /* borrowed: the posting lists hold it, and nothing here changes them */
    t->scores[t->count] = 0.0 + weight;
    t->count++;
    return 0;
}

/* A posting list this long or shorter is walked from its start to reach its newest `scan`
 * entries (reading entries in order is cheap); a longer one is read backwards. */
#define WALK_FACTOR 16

/* candidates(postings, terms, query, scan, limit): see CandidateIndex.candidates_for. */
static PyObject *
kernels_candidates(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5 || !PyDict_Check(args[0]) || !PyDict_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "candidates(postings, terms, query, scan, limit)");
        return NULL;
    }
    PyObject *postings = args[0], *query = args[2];
    Py_ssize_t scan = PyLong_AsSsize_t(args[3]);
    Py_ssize_t limit = PyLong_AsSsize_t(args[4]);
    if ((scan == -1 || limit == -1) && PyErr_Occurred())
        return NULL;
    PyObject *terms = PySequence_Fast(args[1], "terms must be a sequence");
    if (terms == NULL)
        return NULL;
    PyObject *result = NULL;
    PyObject **newest = NULL;
    Py_ssize_t *best = NULL;
    Tally t = {NULL, NULL, 0, 0, NULL, 0};
    if (tally_grow(&t) < 0)
        goto done;
    if (scan > 0 && (newest = PyMem_Malloc(scan * sizeof(PyObject *))) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t n_terms = PySequence_Fast_GET_SIZE(terms);
    PyObject **items = PySequence_Fast_ITEMS(terms);
    for (Py_ssize_t k = 0; k < n_terms; k++) {
        PyObject *term = items[k];
        PyObject *posting = PyDict_GetItemWithError(postings, term);
        if (posting == NULL) {
            if (PyErr_Occurred())
                goto done;
            continue;
        }
        int truth = PyObject_IsTrue(posting);
        if (truth < 0)
            goto done;
        if (!truth)
            continue;
        PyObject *w = PyDict_GetItemWithError(query, term);
        if (w == NULL) {
            if (!PyErr_Occurred())
                PyErr_SetObject(PyExc_KeyError, term);
            goto done;
        }
        double weight;
        if (!as_double(w, &weight))
            goto done;
        if (PyUnicode_Check(posting)) {
            if (tally_add(&t, posting, weight) < 0)
                goto done;
            continue;
        }
        if (!PyDict_Check(posting)) {
            PyErr_SetString(PyExc_TypeError, "a posting is an event id or a dict of them");
            goto done;
        }
        Py_ssize_t size = PyDict_GET_SIZE(posting);
        if (size <= WALK_FACTOR * scan) {
            /* The newest `scan` (all of a short list), oldest first. */
            Py_ssize_t skip = size > scan ? size - scan : 0;
            Py_ssize_t pos = 0;
            PyObject *event_id, *ignored;
            Py_hash_t hash;
            while (next_item(posting, &pos, &event_id, &ignored, &hash)) {
                if (skip > 0) {
                    skip--;
                    continue;
                }
                if (tally_add(&t, event_id, weight) < 0)
                    goto done;
            }
            continue;
        }
        PyObject *it = PyObject_CallOneArg(reversed, posting);
        if (it == NULL)
            goto done;
        Py_ssize_t got = 0;
        while (got < scan) {
            PyObject *event_id = PyIter_Next(it);
            if (event_id == NULL)
                break;
            newest[got++] = event_id;
        }
        Py_DECREF(it);
        int failed = PyErr_Occurred() != NULL;
        for (Py_ssize_t i = got - 1; i >= 0; i--) {
            if (!failed && tally_add(&t, newest[i], weight) < 0)
                failed = 1;
            Py_DECREF(newest[i]);
        }
        if (failed)
            goto done;
    }
    Py_ssize_t n = limit < t.count ? limit : t.count;
    if (n > 0 && (best = PyMem_Malloc(n * sizeof(Py_ssize_t))) == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t got = select_best(t.scores, t.count, n, best);
    result = PyList_New(got);
    if (result == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < got; j++)
        PyList_SET_ITEM(result, j, Py_NewRef(t.ids[best[j]]));
done:
    Py_DECREF(terms);
    PyMem_Free(t.ids);
    PyMem_Free(t.scores);
    PyMem_Free(t.table);
    PyMem_Free(newest);
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

/* weigh(counts, df, docs, keep, shared, max_shared): see kernels.weigh_py. */
static PyObject *
kernels_weigh(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 6 || !PyDict_Check(args[0]) || !PyDict_Check(args[1]) || !PyDict_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError, "weigh(counts, df, docs, keep, shared, max_shared)");
        return NULL;
    }
    PyObject *counts = args[0], *df = args[1], *shared = args[4];
    long long docs = PyLong_AsLongLong(args[2]);
    Py_ssize_t keep = PyLong_AsSsize_t(args[3]);
    Py_ssize_t max_shared = PyLong_AsSsize_t(args[5]);
    if (PyErr_Occurred())
        return NULL;
    if (docs < 1 || docs > (1LL << 53)) {
        PyErr_SetString(PyExc_ValueError, "docs out of range");
        return NULL;
    }
    Py_ssize_t size = PyDict_GET_SIZE(counts);
    PyObject *result = NULL, *squares = NULL, *total = NULL;
    PyObject **terms = PyMem_Malloc((size ? size : 1) * sizeof(PyObject *));
    double *weights = PyMem_Malloc((size ? size : 1) * sizeof(double));
    Py_ssize_t *order = PyMem_Malloc((size ? size : 1) * sizeof(Py_ssize_t));
    if (terms == NULL || weights == NULL || order == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    /* Sublinear TF times IDF, terms counted at least once. */
    Py_ssize_t pos = 0, n = 0;
    PyObject *term, *value;
    Py_hash_t hash;
    while (next_item(counts, &pos, &term, &value, &hash)) {
        double c;
        if (!as_double(value, &c))
            goto done;
        if (!(c >= 1.0))
            continue;
        if (hash == -1 && (hash = PyObject_Hash(term)) == -1)
            goto done;
        PyObject *found = lookup(df, term, hash);
        long long freq = 0;
        if (found != NULL) {
            freq = PyLong_AsLongLong(found);
            if (freq == -1 && PyErr_Occurred())
                goto done;
        }
        else if (PyErr_Occurred())
            goto done;
        terms[n] = term;
        weights[n] = (1.0 + log(c)) * (log((double)docs / (double)(1 + freq)) + 1.0);
        n++;
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
    double norm;
    if (!as_double(total, &norm))
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
        if (PyUnicode_CheckExact(key))
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
    PyMem_Free(terms);
    PyMem_Free(weights);
    PyMem_Free(order);
    return result;
}

static PyMethodDef kernels_methods[] = {
    {"dot", (PyCFunction)(void (*)(void))kernels_dot, METH_FASTCALL,
     "dot(a, b) -> float: sum of a[t] * b[t] over shared terms, rounded once."},
    {"top_terms", (PyCFunction)(void (*)(void))kernels_top_terms, METH_FASTCALL,
     "top_terms(vector, n) -> list: the n heaviest terms, heaviest first."},
    {"weigh", (PyCFunction)(void (*)(void))kernels_weigh, METH_FASTCALL,
     "weigh(counts, df, docs, keep, shared, max_shared) -> dict: unit TF-IDF vector, rounded."},
    {"candidates", (PyCFunction)(void (*)(void))kernels_candidates, METH_FASTCALL,
     "candidates(postings, terms, query, scan, limit) -> list: best partial overlap first."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef kernels_module = {
    PyModuleDef_HEAD_INIT, "_kernels", "The deduper's inner loops in C (see kernels.py).", -1, kernels_methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__kernels(void)
{
    PyObject *math = PyImport_ImportModule("math");
    if (math == NULL)
        return NULL;
    fsum = PyObject_GetAttrString(math, "fsum");
    Py_DECREF(math);
    if (fsum == NULL)
        return NULL;
    PyObject *builtins = PyImport_ImportModule("builtins");
    if (builtins == NULL)
        return NULL;
    reversed = PyObject_GetAttrString(builtins, "reversed");
    sum = PyObject_GetAttrString(builtins, "sum");
    Py_DECREF(builtins);
    if (reversed == NULL || sum == NULL)
        return NULL;
    return PyModule_Create(&kernels_module);
}
