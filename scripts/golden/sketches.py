"""Golden fixtures for packages/stats/src/sketches.

The sketches are checked by their error bounds (property tests); the only exact reference is the
64-bit hash, whose test vectors come from the `xxhash` package (the XXH64 reference C library).

Run: scripts/golden/.venv/bin/python -P scripts/golden/sketches.py
"""

import json
import math
import struct
from pathlib import Path

import numpy as np
import xxhash

OUT = Path(__file__).resolve().parents[2] / 'packages/stats/fixtures/golden/sketches.json'


def main():
    rng = np.random.default_rng(4242)
    alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-/.'
    strings = ['', 'a', 'abc', 'xxhash', 'Nobody inspects the spammish repetition', 'é', '日本語テキスト', '🙂 emoji']
    for length in list(range(1, 70)) + [100, 127, 128, 255, 1000]:
        strings.append(''.join(rng.choice(list(alphabet), length)))
    string_cases = []
    for s in strings:
        string_cases.append({'value': s, 'seed': 0, 'hash': xxhash.xxh64_hexdigest(s.encode('utf-8'))})
    for s in strings[:20]:
        string_cases.append({'value': s, 'seed': 12345, 'hash': xxhash.xxh64_hexdigest(s.encode('utf-8'), seed=12345)})

    numbers = [0.0, 1.0, -1.0, 0.5, 3.141592653589793, 1e300, -2.5e-310, math.inf, -math.inf, 42.0, 2.0**53]
    numbers += [float(v) for v in rng.normal(0, 1000, 30)]
    number_cases = [
        {'value': v if math.isfinite(v) else ('Infinity' if v > 0 else '-Infinity'),
         'hash': xxhash.xxh64_hexdigest(struct.pack('<d', v))}
        for v in numbers
    ]
    fixture = {
        'generator': f'scripts/golden/sketches.py (xxhash {xxhash.VERSION}, numpy {np.__version__})',
        'xxh64_strings': string_cases,
        'xxh64_numbers': number_cases,
    }
    OUT.write_text(json.dumps(fixture, separators=(',', ':'), ensure_ascii=False))
    print(f'wrote {OUT} ({OUT.stat().st_size / 1024:.1f} KB)')


if __name__ == '__main__':
    main()
