"""Grade one submission: build the cases, run the sandbox, compare in the trusted process.

The sandbox only ever returns raw values; every pass/fail below is decided here, with
the reference outputs computed in this process and never sent anywhere.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader import jail
from grader.package import Exercise
from grader.sandbox import Limits, RawRun, Sandbox, SandboxError
from grader.spec import Case

MAX_CODE_BYTES = 64 * 1024
GRADING_BUDGET_S = 20.0  # wall-clock ceiling for one grading, however many jobs it takes
DETAIL_CELLS = 1024  # visible tests carry expected/actual arrays up to this size, for pictures

# Per-test verdicts, and what students read for each on a hidden test.
VERDICT_TEXT = {
    "passed": "passed",
    "wrong_shape": "the output has the wrong shape",
    "wrong_values": "the output has wrong values",
    "wrong_dtype": "the output has the wrong dtype",
    "wrong_type": "the function returned the wrong kind of object",
    "input_modified": "the function modified its input",
    "exception": "the function raised an exception",
    "timeout": "the time limit was exceeded",
    "memory_limit": "the memory limit was exceeded",
    "output_limit": "the submission printed too much",
    "crashed": "the process crashed",
    "not_run": "not run: the submission stopped, or the grading's time budget ran out, before this test",
}


@dataclass
class Submission:
    code: str
    error: dict | None = None


def decode_submission(raw: bytes | str) -> Submission:
    """Check the submitted text before anything runs; bad input becomes a verdict."""
    if isinstance(raw, str):
        try:
            data = raw.encode("utf-8")
        except UnicodeEncodeError:
            return Submission(
                "",
                {
                    "verdict": "encoding_error",
                    "message": "the code contains unpaired surrogates",
                },
            )
    else:
        data = raw
    if len(data) > MAX_CODE_BYTES:
        return Submission(
            "",
            {
                "verdict": "too_large",
                "message": f"the code is {len(data)} bytes; the limit is {MAX_CODE_BYTES}",
            },
        )
    try:
        code = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Submission(
            "",
            {
                "verdict": "encoding_error",
                "message": f"the code is not valid UTF-8 (byte {exc.start}, line {line})",
            },
        )
    if not code.strip():
        return Submission("", {"verdict": "empty", "message": "the submission is empty"})
    if "\0" in code:
        offset = code.index("\0")
        line = code.count("\n", 0, offset) + 1
        column = offset - (code.rfind("\n", 0, offset) + 1) + 1
        return Submission(
            "",
            {
                "verdict": "syntax_error",
                "message": f"line {line}, column {column}: the code contains a NUL byte",
            },
        )
    return Submission(code.removeprefix("\ufeff"))  # editors on Windows may save a BOM


def _shape(a: Any) -> str:
    return str(tuple(a.shape))


def _first_difference(actual: np.ndarray, expected: np.ndarray, close: np.ndarray) -> str:
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    where = index if len(index) != 1 else index[0]
    return f"at index {where}: expected {expected[index].item()!r}, got {actual[index].item()!r}"


def compare(
    exercise: Exercise,
    case: Case,
    expected: Any,
    frame: dict,
    value: Any,
    inputs_after: list,
) -> dict:
    """One test's verdict from the sandbox's raw answer. Messages for visible tests may show data."""
    originals = [a for a in list(case.args) + list(case.kwargs.values()) if isinstance(a, np.ndarray)]
    if len(inputs_after) != len(originals) or any(
        not isinstance(after, np.ndarray)
        or after.shape != before.shape
        or not np.array_equal(after, before, equal_nan=before.dtype.kind == "f")
        for before, after in zip(originals, inputs_after, strict=True)
    ):
        return {
            "verdict": "input_modified",
            "message": "the function changed an input array; work on a copy",
        }
    info = frame.get("info") or {}
    got_type = str(info.get("type", "?"))
    if exercise.returns == "int":
        if not isinstance(value, int) or got_type in ("bool", "float"):
            return {
                "verdict": "wrong_type",
                "message": f"expected an int, got {got_type}",
            }
        if case.check is not None:
            return _run_check(case, value)
        if value != expected:
            return {
                "verdict": "wrong_values",
                "message": f"expected {expected}, got {value}",
            }
        return {"verdict": "passed", "message": ""}

    if got_type != "ndarray" and not isinstance(value, np.ndarray):
        return {
            "verdict": "wrong_type",
            "message": f"expected a NumPy array, got {got_type}",
        }
    if not isinstance(value, np.ndarray):
        return {
            "verdict": "wrong_dtype",
            "message": f"the array's dtype {info.get('dtype', '?')} is not numeric",
        }
    if info.get("aliases_input"):
        return {
            "verdict": "wrong_type",
            "message": "the function returned its input (or a view of it); return a new array",
        }
    if value.dtype != np.float64:
        return {
            "verdict": "wrong_dtype",
            "message": f"expected dtype float64, got {value.dtype}",
        }
    if case.check is not None:
        return _run_check(case, value)
    expected = np.asarray(expected)
    if value.shape != expected.shape:
        return {
            "verdict": "wrong_shape",
            "message": f"expected shape {_shape(expected)}, got {_shape(value)}",
        }
    rtol = exercise.rtol if case.rtol is None else case.rtol
    atol = exercise.atol if case.atol is None else case.atol
    close = np.isclose(value, expected, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return {"verdict": "passed", "message": ""}
    with np.errstate(invalid="ignore", over="ignore"):
        error = np.abs(value - expected)
        max_abs = float(np.nanmax(np.where(close, 0, error))) if error.size else 0.0
        relative = error / np.maximum(np.abs(expected), np.finfo(float).tiny)
        max_rel = float(np.nanmax(np.where(close, 0, relative))) if error.size else 0.0
    wrong = int((~close).sum())
    return {
        "verdict": "wrong_values",
        "message": f"{wrong} of {value.size} values differ (max abs error {max_abs:.3g}, "
        f"max rel error {max_rel:.3g}); " + _first_difference(value, expected, close),
    }


def _run_check(case: Case, value: Any) -> dict:
    problem = case.check(value)
    if problem:
        return {"verdict": "wrong_values", "message": str(problem)}
    return {"verdict": "passed", "message": ""}


def _death_verdict(run: RawRun) -> tuple[str, str]:
    """Why a job ended without finishing, in the student's terms."""
    if run.killed == "wall":
        return "timeout", "the time limit was exceeded"
    if run.killed == "cpu":
        return "timeout", "the CPU time limit was exceeded"
    if run.killed == "output":
        return (
            "output_limit",
            f"the submission printed more than {run.log_total // 1024} KiB; printing was stopped",
        )
    if run.killed == "result":
        return "crashed", "the function returned more data than any answer needs"
    if run.memory_exceeded:
        return "memory_limit", "the memory limit was exceeded"
    if run.protocol_error:
        return "crashed", "the submission interfered with the grader's result channel"
    if run.exit_signal is not None:
        return "crashed", f"the process was killed by signal {run.exit_signal}"
    return "crashed", f"the process exited (status {run.exit_code}) before finishing"


def grade_submission(
    exercise: Exercise, raw_code: bytes | str, sandbox: Sandbox, seed: int | None = None
) -> dict[str, Any]:
    """Grade one submission and return the result object the CLI prints and the platform stores."""
    started = time.monotonic()
    seed = secrets.randbits(63) if seed is None else seed
    result: dict[str, Any] = {
        "exercise": exercise.slug,
        "version": exercise.version,
        "seed": seed,
        "verdict": "",
        "message": "",
        "score": 0.0,
        "points": 0.0,
        "max_points": 0.0,
        "tests": [],
        "stdout": "",
        "duration_ms": 0,
    }
    cases = exercise.build_cases(seed)
    result["max_points"] = float(sum(c.points for c in cases))
    submission = decode_submission(raw_code)
    if submission.error:
        result.update(submission.error)
        result["duration_ms"] = round((time.monotonic() - started) * 1000, 1)
        return result
    expected = [None if c.check is not None else exercise.expected_output(c) for c in cases]
    outcomes: list[dict | None] = [None] * len(cases)
    stdout = ""
    pending = list(range(len(cases)))
    # A job that dies during a test is restarted on the tests after it, so one infinite
    # loop costs one test; the budget bounds a submission that hangs on every test.
    while pending:
        remaining = GRADING_BUDGET_S - (time.monotonic() - started)
        if remaining < exercise.time_limit_s:
            break
        limits = Limits(
            step_seconds=exercise.time_limit_s,
            step_cpu_seconds=exercise.time_limit_s,
            wall_seconds=remaining,
            memory_mb=exercise.memory_limit_mb,
        )
        # Visible tests first, in the request; the hidden ones follow only once the job
        # can no longer print (see Sandbox.run), so its output never holds hidden data.
        order = [i for i in pending if cases[i].visible] + [i for i in pending if not cases[i].visible]
        shown = sum(cases[i].visible for i in pending)
        first_blobs: list = []
        first = jail.encode_value([(cases[i].args, cases[i].kwargs) for i in order[:shown]], first_blobs)
        second_blobs: list = []
        second = jail.encode_value([(cases[i].args, cases[i].kwargs) for i in order[shown:]], second_blobs)
        run = sandbox.run(
            {"code": submission.code, "function": exercise.function, "tests": first},
            first_blobs,
            limits,
            hidden=({"tests": second}, second_blobs),
        )
        run.frames = checked_frames(run)
        if not run.frames:
            raise SandboxError(f"the job produced nothing; sandbox log: {run.log[-500:]!r}")
        if shown or not stdout:  # a rerun of hidden tests only would repeat the import's output
            stdout += run.log.decode("utf-8", errors="replace")
        events = {f[0].get("event") for f in run.frames}
        if "loaded" not in events:
            result.update(_load_failure(run, exercise.function))
            break
        started_test = None
        hidden_phase = False
        for header, blob_list in run.frames:
            event = header.get("event")
            if event == "hidden_phase":
                hidden_phase = True
                continue
            index = header.get("test")
            if not isinstance(index, int) or not 0 <= index < len(order):
                continue
            if hidden_phase and index < shown:
                continue  # once hidden inputs exist in the job, nothing may speak for a visible test
            case_index = order[index]
            if outcomes[case_index] is not None:
                continue  # the first word on a test is final
            if event == "start":
                started_test = case_index
            elif event == "error":
                error = header.get("error") or {}
                text = f"{error.get('type', 'Exception')}: {error.get('message', '')}"
                trace = error.get("traceback") or []
                outcomes[case_index] = {
                    "verdict": "exception",
                    "message": text + ("\n" + "\n".join(trace) if trace else ""),
                }
                started_test = None
            elif event == "result":
                try:
                    value = jail.decode_value(header.get("value"), blob_list)
                    after = jail.decode_value(header.get("inputs_after"), blob_list)
                    outcome = compare(exercise, cases[case_index], expected[case_index], header, value, after or [])
                    if cases[case_index].visible and exercise.returns == "array":
                        outcome.update(_pictures(expected[case_index], value))
                    outcomes[case_index] = outcome
                except (jail.WireError, TypeError, ValueError, AttributeError, RecursionError) as exc:
                    outcomes[case_index] = {"verdict": "crashed", "message": f"unreadable result: {exc}"}
                started_test = None
        if "done" in events and run.protocol_error is None:
            break
        if started_test is not None and outcomes[started_test] is None:
            verdict, message = _death_verdict(run)
            outcomes[started_test] = {"verdict": verdict, "message": message}
        still_pending = [i for i in pending if outcomes[i] is None]
        if len(still_pending) == len(pending):
            break  # the job died without starting a test: running it again would change nothing
        pending = still_pending
    result["stdout"] = stdout[:8192]
    if not result["verdict"]:
        tests = []
        for c, outcome in zip(cases, outcomes, strict=True):
            outcome = outcome or {
                "verdict": "not_run",
                "message": VERDICT_TEXT["not_run"],
            }
            tests.append(_test_entry(c, outcome, expected))
        result["tests"] = tests
        result["points"] = float(sum(t["points"] for t in tests))
        result["score"] = round(result["points"] / result["max_points"], 6) if result["max_points"] else 0.0
        result["verdict"] = "passed" if all(t["passed"] for t in tests) else "failed"
        failed = sum(not t["passed"] for t in tests)
        result["message"] = "all tests passed" if not failed else f"{failed} of {len(tests)} tests failed"
    result["duration_ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


EVENTS = {
    "loading", "syntax_error", "load_error", "missing_function", "loaded", "start", "result", "error",
    "hidden_phase", "done",
}  # fmt: skip


def _is_text_map(value: Any, keys: tuple[str, ...]) -> bool:
    return isinstance(value, dict) and all(isinstance(value.get(k, ""), str) for k in keys)


def _frame_ok(header: dict) -> bool:
    """Whether a frame has the shape the harness writes; the job may have forged it."""
    event = header.get("event")
    if not isinstance(event, str) or event not in EVENTS:
        return False
    if "test" in header and (not isinstance(header["test"], int) or isinstance(header["test"], bool)):
        return False
    if event in ("error", "load_error"):
        error = header.get("error")
        return (
            _is_text_map(error, ("type", "message"))
            and isinstance(error.get("traceback", []), list)
            and all(isinstance(line, str) for line in error.get("traceback", []))
        )
    if event == "result":
        info = header.get("info")
        return (
            isinstance(info, dict) and all(isinstance(k, str) for k in info) and _is_text_map(info, ("type", "dtype"))
        )
    if event == "syntax_error":
        return all(header.get(k) is None or isinstance(header.get(k), int) for k in ("line", "column"))
    return True


def checked_frames(run: RawRun) -> list:
    """The frames up to the first malformed one; a malformed frame is a protocol error."""
    for position, (header, _) in enumerate(run.frames):
        if not _frame_ok(header):
            run.protocol_error = run.protocol_error or "malformed frame"
            return run.frames[:position]
    return run.frames


def _json_array(value: Any) -> list | None:
    """A small numeric array as nested lists, with non-finite values as None (strict JSON)."""
    if not isinstance(value, np.ndarray) or value.size > DETAIL_CELLS or value.dtype.kind not in "biuf":
        return None
    as_float = value.astype(np.float64)
    return np.where(np.isfinite(as_float), as_float, None).tolist()


def _pictures(expected: Any, actual: Any) -> dict:
    """Expected and actual arrays of a visible test, for the side-by-side heatmaps."""
    pair = {"expected": _json_array(np.asarray(expected)) if expected is not None else None,
            "actual": _json_array(actual)}  # fmt: skip
    return {k: v for k, v in pair.items() if v is not None}


def _test_entry(c: Case, outcome: dict, expected: list) -> dict:
    passed = outcome["verdict"] == "passed"
    entry = {
        "name": c.name,
        "visible": c.visible,
        "passed": passed,
        "verdict": outcome["verdict"],
        "points": c.points if passed else 0.0,
        "max_points": c.points,
    }
    if c.visible:
        entry["message"] = outcome["message"]
        entry["call"] = _describe_call(c)
        for key in ("expected", "actual"):
            if key in outcome:
                entry[key] = outcome[key]
    else:
        # Hidden tests reveal the kind of failure and the author's hint, never data.
        entry["message"] = "" if passed else VERDICT_TEXT.get(outcome["verdict"], outcome["verdict"])
    if not passed and c.hint:
        entry["hint"] = c.hint
    return entry


def _describe_call(c: Case) -> str:
    def show(v: Any) -> str:
        if isinstance(v, np.ndarray):
            return f"array(shape={tuple(v.shape)}, dtype={v.dtype})"
        return repr(v)

    parts = [show(a) for a in c.args] + [f"{k}={show(v)}" for k, v in c.kwargs.items()]
    return f"({', '.join(parts)})"


def _load_failure(run: RawRun, function: str) -> dict:
    """Whole-submission verdicts: the module never got as far as its tests."""
    for header, _ in run.frames:
        event = header.get("event")
        if event == "syntax_error":
            return {
                "verdict": "syntax_error",
                "message": f"line {header.get('line')}, column {header.get('column')}: {header.get('message')}",
            }
        if event == "load_error":
            error = header.get("error") or {}
            kind = error.get("type", "Exception")
            if kind == "SystemExit":
                message = "the module called sys.exit() while being imported"
            else:
                message = f"{kind}: {error.get('message', '')}"
            trace = error.get("traceback") or []
            return {
                "verdict": "import_error",
                "message": message + ("\n" + "\n".join(trace) if trace else ""),
            }
        if event == "missing_function":
            return {
                "verdict": "missing_function",
                "message": f"the module does not define a function named {function}()",
            }
    verdict, message = _death_verdict(run)
    return {
        "verdict": verdict,
        "message": message + " while the module was being imported",
    }
