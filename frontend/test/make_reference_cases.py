"""Write test/fixtures/reference-cases.json: inputs and the grader's reference outputs.

conv.test.js checks that the browser arithmetic gives exactly these numbers. Regenerate after a
reference changes (from the repository root):

    PYTHONPATH=platform:. .venv/bin/python frontend/test/make_reference_cases.py
"""

import json
import random
from pathlib import Path

from grader.package import find_exercise
from stride.courses.visualization import KERNEL_PRESETS

conv2d = find_exercise("conv2d").reference_function
max_pool2d = find_exercise("max-pool").reference_function
avg_pool2d = find_exercise("avg-pool").reference_function
output_size = find_exercise("output-size").reference_function

rng = random.Random(20240605)


def grid(rows, cols, low=-9, high=9, decimals=False):
    if decimals:
        return [[round(rng.uniform(low, high), 2) for _ in range(cols)] for _ in range(rows)]
    return [[rng.randint(low, high) for _ in range(cols)] for _ in range(rows)]


cases = {"presets": KERNEL_PRESETS, "conv": [], "pool": [], "output_size": []}
for index in range(60):
    h, w = rng.randint(1, 7), rng.randint(1, 7)
    kh, kw = rng.randint(1, 4), rng.randint(1, 4)
    stride = rng.choice([1, 1, 2, 3, 5, [1, 2], [3, 1]])
    padding = rng.choice(["valid", "same", "same", 0, 1, 2, [1, 0]])
    image, kernel = grid(h, w, decimals=index % 3 == 0), grid(kh, kw, decimals=index % 4 == 0)
    out = conv2d(image, kernel, stride, padding)
    cases["conv"].append(
        {
            "input": image,
            "kernel": kernel,
            "stride": stride,
            "padding": padding,
            "output": out.tolist(),
            "shape": list(out.shape),
        }
    )
for index in range(60):
    h, w = rng.randint(1, 7), rng.randint(1, 7)
    size = rng.choice([1, 2, 2, 3, 4, [2, 3]])
    stride = rng.choice([None, None, 1, 2, 3, 5, [1, 2]])
    padding = rng.choice(["valid", "same"])
    mode = rng.choice(["max", "average"])
    image = grid(h, w, decimals=index % 2 == 0)
    fn = max_pool2d if mode == "max" else avg_pool2d
    out = fn(image, size, stride, padding)
    cases["pool"].append(
        {
            "input": image,
            "mode": mode,
            "pool_size": size,
            "stride": stride,
            "padding": padding,
            "output": out.tolist(),
            "shape": list(out.shape),
        }
    )
for n in range(0, 9):
    for k in range(1, 6):
        for s in range(1, 5):
            for padding in ["valid", "same", 0, 1, 2]:
                cases["output_size"].append([n, k, s, padding, output_size(n, k, s, padding)])

target = Path(__file__).parent / "fixtures" / "reference-cases.json"
target.write_text(json.dumps(cases, separators=(",", ":")) + "\n")
print(f"wrote {target}")
