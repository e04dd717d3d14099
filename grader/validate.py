"""Check an exercise package end to end, through the real sandbox.

The reference must pass its own tests, hand-computed ``expect=`` values must match the
reference, every ``good_*`` sample must score 100% and every ``bad_*`` sample must
score below 100%, failing at least the tests ``sample_checks`` names for it.
"""

from __future__ import annotations

import numpy as np

from grader.grade import grade_submission
from grader.package import Exercise
from grader.sandbox import Sandbox


def validate_exercise(exercise: Exercise, sandbox: Sandbox, seeds: int = 3) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    lines: list[str] = []
    seed_list = list(range(1, seeds + 1))
    cases = exercise.build_cases(seed_list[0])
    for c in cases:
        if c.expect is not None:
            got = exercise.expected_output(c)
            if not np.allclose(
                np.asarray(got, dtype=float),
                np.asarray(c.expect, dtype=float),
                equal_nan=True,
            ) or (np.shape(got) != np.shape(c.expect)):
                problems.append(f"{c.filename}:{c.lineno}: reference disagrees with expect= on {c.name!r}")
    lines.append(f"{len(cases)} tests ({sum(c.visible for c in cases)} visible), version {exercise.version}")

    reference_code = (exercise.path / "reference.py").read_bytes()
    samples = [("reference.py", reference_code, "good")]
    for path in exercise.samples():
        kind = "good" if path.name.startswith("good_") else "bad" if path.name.startswith("bad_") else None
        if kind is None:
            problems.append(f"solutions/{path.name}: sample names must start with good_ or bad_")
            continue
        samples.append((path.name, path.read_bytes(), kind))
    goods = sum(kind == "good" for _, _, kind in samples) - 1
    bads = sum(kind == "bad" for _, _, kind in samples)
    if goods < 2 or bads < 3:
        problems.append(f"needs at least 2 good and 3 bad samples, has {goods} and {bads}")

    for name, code, kind in samples:
        scores = []
        for seed in seed_list:
            result = grade_submission(exercise, code, sandbox, seed=seed)
            scores.append(result["score"])
            failed = {t["name"] for t in result["tests"] if not t["passed"]}
            if kind == "good" and result["score"] < 1:
                detail = (
                    "; ".join(f"{t['name']}: {t['verdict']}" for t in result["tests"] if not t["passed"])
                    or result["message"]
                )
                problems.append(f"{name} should score 100% but scored {result['score']:.0%} (seed {seed}): {detail}")
                break
            if kind == "bad":
                if result["score"] >= 1:
                    problems.append(f"{name} should fail but scored 100% (seed {seed})")
                    break
                missing = [t for t in exercise.sample_checks.get(name, []) if t not in failed]
                if missing:
                    problems.append(f"{name} should fail {missing} but passed them (seed {seed})")
                    break
        lines.append(f"{name:32} {kind:4} scores {', '.join(f'{s:.0%}' for s in scores)}")
    unknown = set(exercise.sample_checks) - {n for n, _, _ in samples}
    for name in sorted(unknown):
        problems.append(f"sample_checks names {name}, which is not a bad_ sample")
    all_names = {c.name for c in cases}
    for sample, names in exercise.sample_checks.items():
        for test in names:
            if test not in all_names:
                problems.append(f"sample_checks for {sample} names unknown test {test!r}")
    return problems, lines
