/* The deduper's tokeniser in C: text_features.features_py's twin, with the same results on any
 * str (tests/deduper/test_text_features.py compares the two on generated and real text).
 *
 * Why C helps here: the Python version runs two regular expressions over the text, makes a
 * lower-cased string and a Counter entry per token in separate passes, and hashes the copy
 * sketch's shingles through numpy; tokenising an article was a third of a merge's featurising.
 * Here one pass finds the tokens, and the counting, the weighting and the sketch follow the
 * Python version step by step on the same Python dicts (so even insertion orders agree).
 *
 * Where a token holds a character beyond ASCII, the case folding (`fold`) and `str.lower` are the
 * Python ones, called from here: Unicode case mapping and normalisation stay Python's business.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>

/* Character classes of the Python version's patterns (text_features._WORD, _AFTER_BREAK). */

/* [^\W_] in a str pattern: what sre calls a word character, less the underscore. */
static inline int
is_word_char(Py_UCS4 ch)
{
    if (ch < 128)
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    return Py_UNICODE_ISALNUM(ch);
}

/* What may join two letter or digit runs into one token: ' ’ - */
static inline int
is_joiner(Py_UCS4 ch)
{
    return ch == '\'' || ch == 0x2019 || ch == '-';
}

/* What ends a sentence or opens a quote: . ! ? newline " “ ” : ; */
static inline int
is_break(Py_UCS4 ch)
{
    return ch == '.' || ch == '!' || ch == '?' || ch == '\n' || ch == '"' || ch == 0x201C || ch == 0x201D ||
           ch == ':' || ch == ';';
}

/* The tokens of one text: where each is, whether it is capitalised and whether it opens a
 * sentence, and its term (the lower-cased, accent-folded form that is counted). */
enum { CAPITAL = 1, AFTER_BREAK = 2 };

typedef struct {
    Py_ssize_t count, room;
    Py_ssize_t *start, *end;
    unsigned char *flags;
    PyObject **terms; /* strong references, once made */
    int has_apostrophe;
} Tokens;

static void
tokens_clear(Tokens *t)
{
    if (t->terms != NULL)
        for (Py_ssize_t i = 0; i < t->count; i++)
            Py_XDECREF(t->terms[i]);
    PyMem_Free(t->start);
    PyMem_Free(t->end);
    PyMem_Free(t->flags);
    PyMem_Free(t->terms);
    memset(t, 0, sizeof(*t));
}

static int
tokens_push(Tokens *t, Py_ssize_t start, Py_ssize_t end, unsigned char flags)
{
    if (t->count == t->room) {
        Py_ssize_t room = t->room ? 2 * t->room : 256;
        Py_ssize_t *s = PyMem_Realloc(t->start, room * sizeof(Py_ssize_t));
        if (s == NULL)
            return 0;
        t->start = s;
        Py_ssize_t *e = PyMem_Realloc(t->end, room * sizeof(Py_ssize_t));
        if (e == NULL)
            return 0;
        t->end = e;
        unsigned char *f = PyMem_Realloc(t->flags, room);
        if (f == NULL)
            return 0;
        t->flags = f;
        t->room = room;
    }
    t->start[t->count] = start;
    t->end[t->count] = end;
    t->flags[t->count] = flags;
    t->count++;
    return 1;
}

/* The tokens of _WORD.findall(text), each flagged CAPITAL when its first character is upper case
 * and AFTER_BREAK when _AFTER_BREAK.findall(text) yields it: a break character then only spaces
 * and tabs before it. (No token holds a break character, so no earlier match of that pattern
 * can swallow the break character a later token needs.) */
static int
scan(PyObject *text, Tokens *t)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), i = 0;
    int after = 0; /* only spaces and tabs since the last break character */
    while (i < n) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (!is_word_char(ch)) {
            if (is_break(ch))
                after = 1;
            else if (ch != ' ' && ch != '\t')
                after = 0;
            if (ch == '\'' || ch == 0x2019)
                t->has_apostrophe = 1;
            i++;
            continue;
        }
        Py_ssize_t start = i;
        for (;;) {
            while (i < n && is_word_char(PyUnicode_READ(kind, data, i)))
                i++;
            if (i + 1 < n && is_joiner(PyUnicode_READ(kind, data, i)) &&
                is_word_char(PyUnicode_READ(kind, data, i + 1))) {
                if (PyUnicode_READ(kind, data, i) != '-')
                    t->has_apostrophe = 1;
                i++;
                continue;
            }
            break;
        }
        unsigned char flags = (Py_UNICODE_ISUPPER(ch) ? CAPITAL : 0) | (after ? AFTER_BREAK : 0);
        if (!tokens_push(t, start, i, flags))
            return 0;
        after = 0;
    }
    return 1;
}

static int
is_ascii_span(int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    for (Py_ssize_t i = start; i < end; i++)
        if (PyUnicode_READ(kind, data, i) >= 128)
            return 0;
    return 1;
}

/* text[start:end].lower() for a span of ASCII characters. */
static PyObject *
ascii_lower(int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *out = PyUnicode_New(end - start, 127);
    if (out == NULL)
        return NULL;
    Py_UCS1 *dst = PyUnicode_1BYTE_DATA(out);
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        dst[i - start] = (Py_UCS1)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    }
    return out;
}

/* Each token's term, as `str.lower` (an ASCII text) or `fold` (any other) makes it. `fold` of a
 * token that is all ASCII is its lower case, so only the other tokens call it. */
static int
make_terms(PyObject *text, Tokens *t, PyObject *fold)
{
    t->terms = PyMem_Calloc(t->count ? t->count : 1, sizeof(PyObject *));
    if (t->terms == NULL) {
        PyErr_NoMemory();
        return 0;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    int ascii = PyUnicode_IS_ASCII(text);
    for (Py_ssize_t i = 0; i < t->count; i++) {
        if (ascii || is_ascii_span(kind, data, t->start[i], t->end[i])) {
            t->terms[i] = ascii_lower(kind, data, t->start[i], t->end[i]);
        }
        else {
            PyObject *token = PyUnicode_Substring(text, t->start[i], t->end[i]);
            if (token == NULL)
                return 0;
            t->terms[i] = PyObject_CallOneArg(fold, token);
            Py_DECREF(token);
            if (t->terms[i] != NULL && !PyUnicode_CheckExact(t->terms[i])) {
                PyErr_SetString(PyExc_TypeError, "fold must return str");
                return 0;
            }
        }
        if (t->terms[i] == NULL)
            return 0;
    }
    return 1;
}

/* counts[key] = counts.get(key, 0) + delta, for dicts of small ints this module makes. */
static int
add_count(PyObject *counts, PyObject *key, long delta)
{
    PyObject *old = PyDict_GetItemWithError(counts, key);
    long value = 0;
    if (old != NULL) {
        value = PyLong_AsLong(old);
        if (value == -1 && PyErr_Occurred())
            return 0;
    }
    else if (PyErr_Occurred())
        return 0;
    PyObject *sum = PyLong_FromLong(value + delta);
    if (sum == NULL)
        return 0;
    int failed = PyDict_SetItem(counts, key, sum);
    Py_DECREF(sum);
    return !failed;
}

static long
count_of(PyObject *counts, PyObject *key, int *ok)
{
    PyObject *found = PyDict_GetItemWithError(counts, key);
    *ok = 1;
    if (found == NULL) {
        *ok = !PyErr_Occurred();
        return 0;
    }
    long value = PyLong_AsLong(found);
    if (value == -1 && PyErr_Occurred())
        *ok = 0;
    return value;
}

static int
is_possessive(PyObject *term)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(term);
    if (n < 2)
        return 0;
    Py_UCS4 mark = PyUnicode_READ_CHAR(term, n - 2);
    return PyUnicode_READ_CHAR(term, n - 1) == 's' && (mark == '\'' || mark == 0x2019);
}

/* _fold_possessive: "x's" counts as "x", in the same order of steps as the Python version. */
static int
fold_possessive(PyObject *counts)
{
    PyObject *found = PyList_New(0), *key, *value;
    if (found == NULL)
        return 0;
    Py_ssize_t pos = 0;
    while (PyDict_Next(counts, &pos, &key, &value))
        if (is_possessive(key) && PyList_Append(found, key) < 0)
            goto fail;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(found); i++) {
        PyObject *term = PyList_GET_ITEM(found, i);
        int ok;
        long moved = count_of(counts, term, &ok);
        if (!ok || PyDict_DelItem(counts, term) < 0)
            goto fail;
        PyObject *stem = PyUnicode_Substring(term, 0, PyUnicode_GET_LENGTH(term) - 2);
        if (stem == NULL)
            goto fail;
        ok = add_count(counts, stem, moved);
        Py_DECREF(stem);
        if (!ok)
            goto fail;
    }
    Py_DECREF(found);
    return 1;
fail:
    Py_DECREF(found);
    return 0;
}

/* _chunk_counts(text, at_start=True): every term's count, and the count of its capitalised
 * occurrences that open no sentence (the text's first token opens one), positive ones only. */
static int
chunk_counts(Tokens *t, PyObject **counts_out, PyObject **names_out)
{
    PyObject *counts = PyDict_New(), *names = PyDict_New(), *positive = NULL;
    if (counts == NULL || names == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < t->count; i++)
        if (!add_count(counts, t->terms[i], 1))
            goto fail;
    /* Counter(capitalised), then .subtract(those after a break), then the first token. */
    for (Py_ssize_t i = 0; i < t->count; i++)
        if ((t->flags[i] & CAPITAL) && !add_count(names, t->terms[i], 1))
            goto fail;
    for (Py_ssize_t i = 0; i < t->count; i++)
        if ((t->flags[i] & (CAPITAL | AFTER_BREAK)) == (CAPITAL | AFTER_BREAK) && !add_count(names, t->terms[i], -1))
            goto fail;
    if (t->count && (t->flags[0] & (CAPITAL | AFTER_BREAK)) == CAPITAL && !add_count(names, t->terms[0], -1))
        goto fail;
    if (t->has_apostrophe && (!fold_possessive(counts) || !fold_possessive(names)))
        goto fail;
    positive = PyDict_New();
    if (positive == NULL)
        goto fail;
    PyObject *key, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(names, &pos, &key, &value)) {
        long n = PyLong_AsLong(value);
        if (n == -1 && PyErr_Occurred())
            goto fail;
        if (n > 0 && PyDict_SetItem(positive, key, value) < 0)
            goto fail;
    }
    Py_DECREF(names);
    *counts_out = counts;
    *names_out = positive;
    return 1;
fail:
    Py_XDECREF(counts);
    Py_XDECREF(names);
    Py_XDECREF(positive);
    return 0;
}

static int
is_digits(PyObject *term)
{
    Py_ssize_t n = PyUnicode_GET_LENGTH(term);
    int kind = PyUnicode_KIND(term);
    const void *data = PyUnicode_DATA(term);
    for (Py_ssize_t i = 0; i < n; i++)
        if (!Py_UNICODE_ISDIGIT(PyUnicode_READ(kind, data, i)))
            return 0;
    return n > 0;
}

/* out[key] = out.get(key, 0.0) + add */
static int
add_weight(PyObject *out, PyObject *key, double add)
{
    PyObject *old = PyDict_GetItemWithError(out, key);
    double value = 0.0;
    if (old != NULL)
        value = PyFloat_AS_DOUBLE(old);
    else if (PyErr_Occurred())
        return 0;
    PyObject *sum = PyFloat_FromDouble(value + add);
    if (sum == NULL)
        return 0;
    int failed = PyDict_SetItem(out, key, sum);
    Py_DECREF(sum);
    return !failed;
}

typedef struct {
    PyObject *stopwords, *fold;
    double title_weight, name_boost, number_boost;
    Py_ssize_t sketch_size, shingle_tokens;
    uint64_t mix[3];
} Settings;

/* term_counts' weighting loop over one chunk (the title or the body). */
static int
weigh_chunk(const Settings *s, double weight, PyObject *chunk_counts, PyObject *chunk_names, PyObject *counts,
            PyObject *names)
{
    PyObject *token, *value;
    Py_ssize_t pos = 0;
    while (PyDict_Next(chunk_counts, &pos, &token, &value)) {
        if (PyUnicode_GET_LENGTH(token) < 2)
            continue;
        int stop = PySet_Contains(s->stopwords, token);
        if (stop < 0)
            return 0;
        if (stop)
            continue;
        long n = PyLong_AsLong(value);
        if (n == -1 && PyErr_Occurred())
            return 0;
        int ok;
        long named = count_of(chunk_names, token, &ok);
        if (!ok)
            return 0;
        double boost = is_digits(token) ? s->number_boost : 1.0;
        if (!add_weight(counts, token, weight * boost * ((double)n + (s->name_boost - 1.0) * (double)named)))
            return 0;
        if (named && !add_weight(names, token, weight * (double)named))
            return 0;
    }
    return 1;
}

/* The title's own name counts, as term_counts settles them: none in a Title Case headline, and a
 * capitalised headline word that the body uses as a name counts as one. */
static PyObject *
title_names(PyObject *title, Tokens *t, PyObject *counts, PyObject *names, PyObject *body_names)
{
    Py_ssize_t capitals = 0;
    for (Py_ssize_t i = 0; i < t->count; i++)
        capitals += (t->flags[i] & CAPITAL) != 0;
    PyObject *out = (double)capitals > 0.6 * (double)(t->count > 1 ? t->count : 1) ? PyDict_New()
                                                                                    : Py_NewRef(names);
    if (out == NULL)
        return NULL;
    int kind = PyUnicode_KIND(title);
    const void *data = PyUnicode_DATA(title);
    for (Py_ssize_t i = 0; i < t->count; i++) {
        if (!(t->flags[i] & CAPITAL))
            continue;
        PyObject *low;
        /* tok.lower(), which for an ASCII token is its term (whichever way the title folds). */
        if (is_ascii_span(kind, data, t->start[i], t->end[i]))
            low = Py_NewRef(t->terms[i]);
        else {
            PyObject *token = PyUnicode_Substring(title, t->start[i], t->end[i]);
            if (token == NULL)
                goto fail;
            low = PyObject_CallMethod(token, "lower", NULL);
            Py_DECREF(token);
            if (low == NULL)
                goto fail;
        }
        int in_body = PyDict_Contains(body_names, low), in_title = PyDict_Contains(out, low);
        int ok = in_body >= 0 && in_title >= 0;
        if (ok && in_body && !in_title) {
            long n = count_of(counts, low, &ok);
            PyObject *value = ok ? PyLong_FromLong(n) : NULL;
            ok = value != NULL && PyDict_SetItem(out, low, value) == 0;
            Py_XDECREF(value);
        }
        Py_DECREF(low);
        if (!ok)
            goto fail;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* zlib.crc32 */
static uint32_t crc_table[256];

static void
crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t
crc32_of(const unsigned char *bytes, Py_ssize_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (Py_ssize_t i = 0; i < n; i++)
        c = crc_table[(c ^ bytes[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* crc32 of the term's UTF-8 bytes (lone surrogates passed through, as "surrogatepass" does). */
static int
term_code(PyObject *term, uint64_t *out)
{
    if (PyUnicode_IS_ASCII(term)) {
        *out = crc32_of(PyUnicode_1BYTE_DATA(term), PyUnicode_GET_LENGTH(term));
        return 1;
    }
    PyObject *bytes = PyUnicode_AsEncodedString(term, "utf-8", "surrogatepass");
    if (bytes == NULL)
        return 0;
    *out = crc32_of((const unsigned char *)PyBytes_AS_STRING(bytes), PyBytes_GET_SIZE(bytes));
    Py_DECREF(bytes);
    return 1;
}

static int
compare_codes(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* text_features.sketch over the body's terms. */
static PyObject *
sketch(const Settings *s, Tokens *t)
{
    Py_ssize_t n = t->count < s->shingle_tokens ? t->count : s->shingle_tokens;
    Py_ssize_t room = n < 4 ? 4 : n;
    uint64_t *code = PyMem_Calloc(room, sizeof(uint64_t));
    if (code == NULL)
        return PyErr_NoMemory();
    PyObject *out = NULL;
    for (Py_ssize_t i = 0; i < n; i++)
        if (!term_code(t->terms[i], &code[i]))
            goto done;
    const uint64_t mask = 0xFFFFFFFFu;
    /* Fewer than four terms make one shingle, padded with zeros. */
    Py_ssize_t shingles = room - 3;
    for (Py_ssize_t i = 0; i < shingles; i++)
        code[i] = ((code[i] * s->mix[0]) & mask) ^ ((code[i + 1] * s->mix[1]) & mask) ^
                  ((code[i + 2] * s->mix[2]) & mask) ^ (code[i + 3] & mask);
    qsort(code, shingles, sizeof(uint64_t), compare_codes);
    out = PyList_New(0);
    for (Py_ssize_t i = 0; out != NULL && i < shingles && PyList_GET_SIZE(out) < s->sketch_size; i++) {
        if (i && code[i] == code[i - 1])
            continue;
        PyObject *value = PyLong_FromUnsignedLongLong(code[i]);
        if (value == NULL || PyList_Append(out, value) < 0)
            Py_CLEAR(out);
        Py_XDECREF(value);
    }
done:
    PyMem_Free(code);
    return out;
}

static int
read_settings(PyObject *arg, Settings *s)
{
    PyObject *mix;
    if (!PyTuple_CheckExact(arg) ||
        !PyArg_ParseTuple(arg, "O!OdddnnO!", &PyFrozenSet_Type, &s->stopwords, &s->fold, &s->title_weight,
                          &s->name_boost, &s->number_boost, &s->sketch_size, &s->shingle_tokens, &PyTuple_Type,
                          &mix)) {
        if (!PyErr_Occurred() || PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            PyErr_SetString(PyExc_TypeError, "settings: (stopwords: frozenset, fold, title_weight, name_boost, "
                                             "number_boost, sketch_size, shingle_tokens, mix: 3-tuple)");
        }
        return 0;
    }
    if (PyTuple_GET_SIZE(mix) != 3) {
        PyErr_SetString(PyExc_TypeError, "settings: mix must be a 3-tuple");
        return 0;
    }
    for (int i = 0; i < 3; i++) {
        unsigned long long k = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(mix, i));
        if (k == (unsigned long long)-1 && PyErr_Occurred())
            return 0;
        if (k > 0xFFFFFFFFu) {
            PyErr_SetString(PyExc_ValueError, "settings: mix constants must be below 2**32");
            return 0;
        }
        s->mix[i] = k;
    }
    /* A sketch of no hashes: the Python version would still give a short text one. */
    if (!PyCallable_Check(s->fold) || s->sketch_size < 1 || s->shingle_tokens < 0) {
        PyErr_SetString(PyExc_ValueError, "settings: fold must be callable, sketch_size >= 1, shingle_tokens >= 0");
        return 0;
    }
    return 1;
}

/* features(title, body, settings) -> (counts, names, sketch): see text_features.features_py. */
static PyObject *
text_features(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyUnicode_CheckExact(args[0]) || !PyUnicode_CheckExact(args[1])) {
        PyErr_SetString(PyExc_TypeError, "features(title: str, body: str, settings)");
        return NULL;
    }
    Settings s;
    if (!read_settings(args[2], &s))
        return NULL;
    PyObject *title = args[0], *body = args[1];
    Tokens tt = {0}, bt = {0};
    PyObject *body_counts = NULL, *body_names = NULL, *title_counts = NULL, *title_raw = NULL;
    PyObject *names_of_title = NULL, *counts = NULL, *names = NULL, *codes = NULL, *result = NULL;
    if (!scan(body, &bt) || !scan(title, &tt)) {
        PyErr_NoMemory();
        goto done;
    }
    if (!make_terms(body, &bt, s.fold) || !chunk_counts(&bt, &body_counts, &body_names) ||
        !make_terms(title, &tt, s.fold) || !chunk_counts(&tt, &title_counts, &title_raw))
        goto done;
    names_of_title = title_names(title, &tt, title_counts, title_raw, body_names);
    counts = PyDict_New();
    names = PyDict_New();
    if (names_of_title == NULL || counts == NULL || names == NULL ||
        !weigh_chunk(&s, s.title_weight, title_counts, names_of_title, counts, names) ||
        !weigh_chunk(&s, 1.0, body_counts, body_names, counts, names))
        goto done;
    codes = sketch(&s, &bt);
    if (codes != NULL)
        result = PyTuple_Pack(3, counts, names, codes);
done:
    tokens_clear(&tt);
    tokens_clear(&bt);
    Py_XDECREF(body_counts);
    Py_XDECREF(body_names);
    Py_XDECREF(title_counts);
    Py_XDECREF(title_raw);
    Py_XDECREF(names_of_title);
    Py_XDECREF(counts);
    Py_XDECREF(names);
    Py_XDECREF(codes);
    return result;
}

static PyMethodDef text_methods[] = {
    {"features", (PyCFunction)(void (*)(void))text_features, METH_FASTCALL,
     "features(title, body, settings) -> (counts, names, sketch): see text_features.features_py."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef text_module = {
    PyModuleDef_HEAD_INIT, "_text", "The deduper's tokeniser in C (see text_features.py).", -1, text_methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__text(void)
{
    crc_init();
    return PyModule_Create(&text_module);
}
