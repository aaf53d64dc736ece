"""Reproduction: orjson.loads crashes the process (SIGSEGV) when an allocation fails, where json raises MemoryError.

    (ulimit -v 400000; OPENBLAS_NUM_THREADS=1 python bench/orjson_oom.py orjson)   # Segmentation fault (exit 139)
    (ulimit -v 400000; OPENBLAS_NUM_THREADS=1 python bench/orjson_oom.py json)     # "MemoryError after N loads" (exit 0)

Fills the address space with 1 MB buffers until MemoryError, frees a few, then decodes a small
document until memory runs out again. See bench/ORJSON_OOM.md.
"""

import json
import sys

import orjson

loads = orjson.loads if sys.argv[1:2] != ["json"] else json.loads
doc = json.dumps({"title": "x" * 200, "authors": ["a b"] * 20, "abstract": "word " * 400, "n": list(range(200))}).encode()
hog = []
try:
    while True:
        hog.append(bytearray(1 << 20))
except MemoryError:
    pass
del hog[-4:]
out = []
try:
    while True:
        out.append(loads(doc))
except MemoryError:
    print("MemoryError after", len(out), "loads", flush=True)
except Exception as exc:  # orjson sometimes reports the failed allocation as a JSONDecodeError instead
    print(type(exc).__name__, exc, flush=True)
