/* Splitting text into words and numbering them, in C: the per-word half of building an index.
 *
 * ``WordTable.number(text, out, repeat=1)`` does what ``numbering.PyWordTable.number`` does, which
 * is ``tokenizer.words`` followed by a first-seen numbering of the words, for text already folded
 * to ASCII: letters are lowercased, every character other than [a-z0-9] separates words. Each word's
 * number is appended to the bytearray ``out`` as a native int32, the whole run ``repeat`` times.
 * A million paper records hold about 200 million words: in Python each one is a str object, a hash
 * and a dict probe (about 55 µs a record); here it is a scan, a hash and a probe of a flat table.
 * Results are the same to the word (tests/test_numbering.py compares both on random text).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    uint32_t tag; /* the hash's high half */
    uint32_t id;  /* number + 1; 0 marks an empty slot */
} Slot;

typedef struct {
    PyObject_HEAD
    Slot *slots;
    uint64_t mask;      /* slot count - 1 (a power of two) */
    char *arena;        /* the words, back to back */
    size_t arena_used, arena_size;
    uint64_t *offsets;  /* word n is arena[offsets[n]:offsets[n + 1]] */
    size_t count, offsets_size;
    uint64_t *hashes;   /* word n's hash, for growing the table */
    size_t hashes_size;
    size_t sent;        /* words handed out by fresh() */
    uint64_t seed;      /* varies per process (Python's hash of a str), as str hashes do */
    unsigned char *scratch; /* the text being numbered, folded: a letter or digit, or 0 */
    size_t scratch_size;
} WordTable;

static unsigned char KEEP[256];

static uint64_t hash_word(uint64_t seed, const unsigned char *s, size_t n) {
    uint64_t h = seed ^ 0x9E3779B97F4A7C15ull ^ (uint64_t)n;
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, s, 8);
        h = (h ^ v) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
        s += 8;
        n -= 8;
    }
    uint64_t v = 0;
    memcpy(&v, s, n);
    h = (h ^ v) * 0x94D049BB133111EBull;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 32);
}

static int grow_slots(WordTable *t) {
    uint64_t size = (t->mask + 1) * 2;
    Slot *slots = PyMem_Calloc(size, sizeof(Slot));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (uint64_t i = 0; i <= t->mask; i++) {
        if (t->slots[i].id) {
            uint64_t j = t->hashes[t->slots[i].id - 1] & (size - 1);
            while (slots[j].id)
                j = (j + 1) & (size - 1);
            slots[j] = t->slots[i];
        }
    }
    PyMem_Free(t->slots);
    t->slots = slots;
    t->mask = size - 1;
    return 0;
}

static int reserve(void **buffer, size_t *size, size_t needed, size_t item) {
    if (needed <= *size)
        return 0;
    size_t grown = *size ? *size : 1024;
    while (grown < needed)
        grown *= 2;
    void *resized = PyMem_Realloc(*buffer, grown * item);
    if (resized == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    *buffer = resized;
    *size = grown;
    return 0;
}

/* The number of a word, numbering it when it is new; -1 on a memory error. */
static int64_t word_id(WordTable *t, const unsigned char *word, size_t n) {
    uint64_t h = hash_word(t->seed, word, n);
    uint64_t i = h & t->mask;
    for (;;) {
        Slot *slot = &t->slots[i];
        if (!slot->id)
            break;
        if (slot->tag == (uint32_t)(h >> 32)) {
            uint64_t id = slot->id - 1;
            size_t start = t->offsets[id];
            if (t->offsets[id + 1] - start == n && memcmp(t->arena + start, word, n) == 0)
                return (int64_t)id;
        }
        i = (i + 1) & t->mask;
    }
    if (t->count >= INT32_MAX) {
        PyErr_SetString(PyExc_OverflowError, "more than 2**31 distinct words");
        return -1;
    }
    if (reserve((void **)&t->arena, &t->arena_size, t->arena_used + n, 1) < 0 ||
        reserve((void **)&t->offsets, &t->offsets_size, t->count + 2, sizeof(uint64_t)) < 0 ||
        reserve((void **)&t->hashes, &t->hashes_size, t->count + 1, sizeof(uint64_t)) < 0)
        return -1;
    memcpy(t->arena + t->arena_used, word, n);
    t->arena_used += n;
    uint64_t id = t->count++;
    t->offsets[t->count] = t->arena_used;
    t->hashes[id] = h;
    t->slots[i].tag = (uint32_t)(h >> 32);
    t->slots[i].id = (uint32_t)(id + 1);
    if (t->count * 2 > t->mask + 1 && grow_slots(t) < 0)
        return -1;
    return (int64_t)id;
}

static PyObject *WordTable_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, ":WordTable", kwlist))
        return NULL;
    WordTable *t = (WordTable *)type->tp_alloc(type, 0);
    if (t == NULL)
        return NULL;
    t->slots = PyMem_Calloc(1 << 12, sizeof(Slot));
    t->offsets = PyMem_Calloc(1024, sizeof(uint64_t));
    if (t->slots == NULL || t->offsets == NULL) {
        Py_DECREF(t);
        return PyErr_NoMemory();
    }
    t->mask = (1 << 12) - 1;
    t->offsets_size = 1024;
    PyObject *salt = PyUnicode_FromString("bot.search._wordids");
    Py_hash_t seed = salt ? PyObject_Hash(salt) : -1;
    Py_XDECREF(salt);
    if (seed == -1 && PyErr_Occurred()) {
        Py_DECREF(t);
        return NULL;
    }
    t->seed = (uint64_t)seed;
    return (PyObject *)t;
}

static void WordTable_dealloc(WordTable *t) {
    PyMem_Free(t->slots);
    PyMem_Free(t->arena);
    PyMem_Free(t->offsets);
    PyMem_Free(t->hashes);
    PyMem_Free(t->scratch);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

static PyObject *WordTable_number(WordTable *t, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"text", "out", "repeat", NULL};
    PyObject *text, *out;
    Py_ssize_t repeat = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO!|n", kwlist, &text, &PyByteArray_Type, &out, &repeat))
        return NULL;
    const unsigned char *data;
    Py_ssize_t size;
    if (PyUnicode_Check(text)) {
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(text) < 0)
            return NULL;
#endif
        if (!PyUnicode_IS_ASCII(text)) {
            PyErr_SetString(PyExc_ValueError, "text must be ASCII (fold it first)");
            return NULL;
        }
        data = PyUnicode_1BYTE_DATA(text);
        size = PyUnicode_GET_LENGTH(text);
    } else if (PyBytes_Check(text)) {
        data = (const unsigned char *)PyBytes_AS_STRING(text);
        size = PyBytes_GET_SIZE(text);
    } else {
        PyErr_SetString(PyExc_TypeError, "text must be str or bytes");
        return NULL;
    }
    if (repeat < 0) {
        PyErr_SetString(PyExc_ValueError, "repeat must not be negative");
        return NULL;
    }
    if (reserve((void **)&t->scratch, &t->scratch_size, (size_t)size + 1, 1) < 0)
        return NULL;
    unsigned char *folded = t->scratch;
    for (Py_ssize_t i = 0; i < size; i++)
        folded[i] = KEEP[data[i]];
    folded[size] = 0;
    /* At most one word per two bytes (a word and its separator), plus one. */
    Py_ssize_t start = PyByteArray_GET_SIZE(out);
    Py_ssize_t most = size / 2 + 1;
    if (most > (PY_SSIZE_T_MAX - start) / (4 * (repeat ? repeat : 1)) ||
        PyByteArray_Resize(out, start + most * 4 * (repeat ? repeat : 1)) < 0)
        return PyErr_Occurred() ? NULL : PyErr_NoMemory();
    int32_t *ids = (int32_t *)(PyByteArray_AS_STRING(out) + start);
    Py_ssize_t n = 0, i = 0;
    while (i < size) {
        while (i < size && !folded[i])
            i++;
        if (i >= size)
            break;
        Py_ssize_t begin = i;
        while (folded[i])
            i++;
        int64_t id = word_id(t, folded + begin, (size_t)(i - begin));
        if (id < 0) {
            PyByteArray_Resize(out, start);
            return NULL;
        }
        ids[n++] = (int32_t)id;
    }
    for (Py_ssize_t r = 1; r < repeat; r++)
        memcpy(ids + r * n, ids, (size_t)n * 4);
    if (PyByteArray_Resize(out, start + n * 4 * repeat) < 0)
        return NULL;
    return PyLong_FromSsize_t(n);
}

static PyObject *WordTable_fresh(WordTable *t, PyObject *Py_UNUSED(ignored)) {
    PyObject *words = PyList_New((Py_ssize_t)(t->count - t->sent));
    if (words == NULL)
        return NULL;
    for (size_t id = t->sent; id < t->count; id++) {
        PyObject *word = PyUnicode_FromStringAndSize(t->arena + t->offsets[id], (Py_ssize_t)(t->offsets[id + 1] - t->offsets[id]));
        if (word == NULL) {
            Py_DECREF(words);
            return NULL;
        }
        PyList_SET_ITEM(words, (Py_ssize_t)(id - t->sent), word);
    }
    t->sent = t->count;
    return words;
}

static Py_ssize_t WordTable_len(WordTable *t) { return (Py_ssize_t)t->count; }

static PyMethodDef WordTable_methods[] = {
    {"number", (PyCFunction)(void (*)(void))WordTable_number, METH_VARARGS | METH_KEYWORDS,
     "number(text, out, repeat=1) -> int\n\nAppend the numbers of text's words to out (int32), repeat times; return the word count."},
    {"fresh", (PyCFunction)WordTable_fresh, METH_NOARGS, "The words numbered since the last call, in number order."},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods WordTable_as_sequence = {.sq_length = (lenfunc)WordTable_len};

static PyTypeObject WordTableType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "bot.search._wordids.WordTable",
    .tp_basicsize = sizeof(WordTable),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Words numbered in the order first seen (see numbering.PyWordTable).",
    .tp_new = WordTable_new,
    .tp_dealloc = (destructor)WordTable_dealloc,
    .tp_methods = WordTable_methods,
    .tp_as_sequence = &WordTable_as_sequence,
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "bot.search._wordids", "Word numbering in C (see numbering.py).", -1, NULL};

PyMODINIT_FUNC PyInit__wordids(void) {
    for (int c = 0; c < 256; c++)
        KEEP[c] = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ? (unsigned char)c : (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : 0;
    if (PyType_Ready(&WordTableType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&WordTableType);
    if (PyModule_AddObject(m, "WordTable", (PyObject *)&WordTableType) < 0) {
        Py_DECREF(&WordTableType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
