"""Grade every hostile submission in one long-lived sandbox slot, as a worker would.

Started by tests/grader/test_hostile.py inside a containment cgroup and a private pid
namespace (``unshare --pid --fork --mount-proc``): if an attack escapes the sandbox, it
can at worst kill this process or the namespace, never the test runner.

    python driver.py TOKEN REPO [ATTACK ...]

For each attack it prints one JSON line per grading: the attack's, then the known-good
solution's and a crash probe's, both graded right after it in the same slot to show the
next gradings are unaffected; then a final ``{"kind": "end", ...}`` line.
``__MARKER__`` and ``__REPO__`` in an attack's source are replaced by the marker name
(``stride-hostile-TOKEN``) and the repository path, so attacks can try to leave files
the test then looks for on the host.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
SANDBOX_UIDS = range(61000, 61100)
CANARIES = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "STRIDE_SECRET")
SEED = 20240611
# Attacks that try to outlive their job go first, so the rest of the run gives them time to act.
FIRST = ("daemon_double_fork", "daemon_subprocess", "disk_write_outside")
# Attacks on the trusted side's frame parsing go last: if one leaves the slot in a bad state,
# only its own follow-up gradings show it, not the verdicts of unrelated attacks.
LAST = ("forged_frame_unhashable_event", "forged_frame_bad_fields", "forged_junk_result_fd", "forged_frame_deep_json")
# Racy attacks are graded up to this many times; the first internal error is the one reported.
TRIES = {"forged_junk_result_fd": 100}
# Segfaults at import: must come back as "crashed" by signal 11, in one short run. A slot that
# confuses one job's end with another's (a stale exit report) gets this wrong at once.
PROBE = b"import ctypes\n\nctypes.string_at(8)\n"


def sandbox_processes() -> list[dict]:
    """Processes of the sandbox uids visible here (this pid namespace)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        uids = [int(u) for u in fields.get("Uid", "").split()]
        if any(u in SANDBOX_UIDS for u in uids):
            state = fields.get("State", "").strip()
            found.append({"pid": int(entry), "name": fields.get("Name", "").strip(), "state": state, "uids": uids})
    return found


def emit(record: dict) -> None:
    sys.stdout.write(json.dumps(record, default=repr) + "\n")
    sys.stdout.flush()


def grade(exercise, code: bytes, sandbox, grade_submission) -> dict:
    started = time.monotonic()
    record: dict = {}
    try:
        record["result"] = grade_submission(exercise, code, sandbox, seed=SEED)
    except BaseException as exc:  # an internal failure of the grader is itself a finding
        record["error"] = f"{type(exc).__name__}: {exc}"[:2000]
        record["traceback"] = traceback.format_exc()[-4000:]
    record["elapsed_s"] = round(time.monotonic() - started, 3)
    record["leftover"] = sandbox_processes()
    return record


def main() -> int:
    token, repo = sys.argv[1], sys.argv[2]
    sys.path.insert(0, repo)
    from grader.grade import grade_submission
    from grader.package import find_exercise
    from grader.sandbox import Sandbox

    marker = f"stride-hostile-{token}"
    names = sys.argv[3:] or sorted(p.stem for p in HERE.glob("*.py") if p.stem != "driver")
    names = (
        [n for n in FIRST if n in names] + [n for n in names if n not in FIRST + LAST] + [n for n in LAST if n in names]
    )
    exercise = find_exercise("conv2d", Path(repo) / "exercises")
    good = (Path(repo) / "exercises" / "conv2d" / "solutions" / "good_vectorized.py").read_bytes()
    emit(
        {
            "kind": "start",
            "pid": os.getpid(),
            "canaries_present": all(os.environ.get(name) for name in CANARIES),
            "attacks": names,
        }
    )
    started = time.monotonic()
    with Sandbox(reaper=True) as sandbox:
        for name in names:
            source = (HERE / f"{name}.py").read_text()
            code = source.replace("__MARKER__", marker).replace("__REPO__", repo).encode()
            tries = 0
            while True:
                tries += 1
                record = grade(exercise, code, sandbox, grade_submission)
                if "error" in record or tries >= TRIES.get(name, 1):
                    break
            emit({"kind": "attack", "attack": name, "tries": tries, **record})
            emit({"kind": "good", "attack": name, **grade(exercise, good, sandbox, grade_submission)})
            emit({"kind": "probe", "attack": name, **grade(exercise, PROBE, sandbox, grade_submission)})
    time.sleep(1.0)  # anything that outlived its job has had time to try writing its files
    emit({"kind": "end", "elapsed_s": round(time.monotonic() - started, 3), "leftover": sandbox_processes()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
