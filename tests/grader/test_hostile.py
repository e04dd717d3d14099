"""Hostile submissions: every attack gets a clear verdict and changes nothing outside the sandbox.

The attacks are small conv2d submissions in tests/grader/hostile/. They are graded by ONE
driver process (hostile/driver.py) that holds one long-lived Sandbox, as a worker does.
Right after each attack the same slot grades the known-good vectorized solution (must
score 1.0 at its usual speed) and a segfault-at-import probe (must come back as crashed by
signal 11), which shows the next gradings are unaffected. The driver runs inside a
containment this module builds, so that a broken sandbox cannot harm the machine:

* a cgroup of its own (memory ~3 GiB, memsw too where the kernel has it, pids.max 400,
  and cpuacct so the sandbox's own cgroups nest under it), joined before exec;
* a private pid namespace (``unshare --pid --fork --kill-child --mount-proc``) whose
  pid 1 is a shell that waits for the driver: a kill(-1) or a fork bomb that escapes the
  sandbox kills the driver or fills the containment, and the tests below fail on the
  missing or broken results; pytest itself is out of reach.

The driver runs once per module; each attack has its own test asserting on its result.
Attacks report any defence they got through by printing or raising "ESCAPED: ...", and
try to leave files named stride-hostile-<token>* on the host, which the tests look for.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HOSTILE = Path(__file__).resolve().parent / "hostile"
DRIVER = HOSTILE / "driver.py"
CGROUP_ROOT = Path("/sys/fs/cgroup")
CONTAINMENT_MEMORY = 3 << 30
CONTAINMENT_PIDS = 400
DRIVER_TIMEOUT_S = 150
SANDBOX_UIDS = range(61000, 61100)
CANARY_NAMES = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "STRIDE_SECRET")
GOOD_GRADING_MAX_S = 1.5  # a good conv2d grading takes ~50 ms; one test's time limit is 2 s

# What each attack may legitimately get. Whole-submission verdicts (import_error, timeout at
# import, ...) stand alone; per-test verdicts are those of the tests that ran ("not_run" is
# always allowed for the tests after a job died). Every attack must also score 0 points.
EXCEPTION = {"exception"}
GARBAGE = {"wrong_shape", "wrong_values"}  # a (1, 1) array of -7.25e10
EXPECTED: dict[str, set[str]] = {
    "cgroup_escape": GARBAGE,
    "close_result_fd": {"crashed"},
    "cpu_threads": {"timeout"},
    "daemon_double_fork": GARBAGE,
    "daemon_subprocess": GARBAGE,
    "deep_recursion": {"crashed", "exception", "memory_limit", "timeout", *GARBAGE},
    "disk_fill_tmp": EXCEPTION,
    "disk_write_outside": GARBAGE,
    "exec_binary": EXCEPTION,
    "exec_memory": EXCEPTION,
    "forged_exit_after_print": {"crashed"},
    "forged_exit_in_function": {"crashed"},
    "forged_frame_bad_fields": {"exception", "crashed"},
    "forged_frame_deep_json": {"crashed", "timeout"},
    "forged_frame_unhashable_event": {"crashed", "wrong_shape", "wrong_values"},
    "forged_frames_all_fds": {"crashed", "input_modified"},
    "forged_junk_result_fd": {"crashed"},
    "forged_print_json": GARBAGE,
    "fork_bomb_multiprocessing": EXCEPTION,
    "fork_bomb_os": {"import_error"},
    "gc_frame_inspection": GARBAGE,
    "hostile_exception": EXCEPTION,
    "huge_return": {"exception", "memory_limit"},
    "infinite_loop_function": {"timeout", *GARBAGE},
    "infinite_loop_import": {"timeout"},
    "kill_all": GARBAGE,
    "kill_parent": GARBAGE,
    "large_return_under_limit": {"memory_limit", "exception", "crashed", *GARBAGE},
    "lying_ndarray_subclass": GARBAGE,
    "lying_object": {"wrong_type"},
    "lying_object_array": {"wrong_dtype"},
    "memory_bomb_bytearray": {"memory_limit", "exception", *GARBAGE},
    "memory_bomb_numpy": {"memory_limit", "import_error"},
    "net_outside": EXCEPTION,
    "net_postgres": EXCEPTION,
    "net_redis": EXCEPTION,
    "numpy_monkeypatch": GARBAGE,
    "output_flood": {"output_limit"},
    "patch_harness": GARBAGE,
    "ptrace_ctypes": EXCEPTION,
    "read_environ": GARBAGE,
    "read_jail_files": GARBAGE,
    "read_shadow": GARBAGE,
    "segfault_ctypes": {"crashed"},
    "setuid_attempts": EXCEPTION,
    "sleep_function": {"timeout", *GARBAGE},
    "socket_netlink": EXCEPTION,
    "socket_vsock": EXCEPTION,
    "unshare_mount_ctypes": EXCEPTION,
}
# Attacks that misbehave on one test only and return garbage on the others must show the
# containment verdict on that test.
REQUIRED: dict[str, set[str]] = {
    "deep_recursion": {"crashed", "exception", "memory_limit", "timeout"},
    "infinite_loop_function": {"timeout"},
    "large_return_under_limit": {"memory_limit", "exception", "crashed"},
    "memory_bomb_bytearray": {"memory_limit", "exception"},
    "sleep_function": {"timeout"},
}
ATTACKS = sorted(EXPECTED)
# Where attacks try to leave files (named stride-hostile-<token>...) on the host.
MARKER_DIRS = ("/tmp", str(REPO), "/work", "/root", "/etc", "/opt", "/var/tmp", "/dev/shm", "/run", "/home", "/")


# ---------------------------------------------------------------------------
# Containment


def _own_cgroup_paths() -> dict[str, str]:
    paths = {}
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(","):
            if controller:
                paths[controller] = path
    return paths


def _check_prerequisites() -> None:
    problems = []
    if os.geteuid() != 0:
        problems.append("it must run as root (the grader drops each job to an unprivileged uid)")
    for tool in ("bwrap", "unshare"):
        if shutil.which(tool) is None:
            problems.append(f"`{tool}` is not installed (Debian: apt-get install bubblewrap util-linux)")
    for controller in ("memory", "pids", "cpuacct"):
        if not (CGROUP_ROOT / controller / "cgroup.procs").exists():
            problems.append(f"the cgroup v1 {controller} controller is not mounted at {CGROUP_ROOT / controller}")
    if problems:
        pytest.fail("the hostile-submission suite cannot run here: " + "; ".join(problems), pytrace=False)


class Containment:
    """A cgroup (v1: memory, pids, cpuacct) the driver joins before it execs anything."""

    def __init__(self, name: str):
        own = _own_cgroup_paths()
        self.dirs = {c: CGROUP_ROOT / c / own.get(c, "/").lstrip("/") / name for c in ("memory", "pids", "cpuacct")}
        for path in self.dirs.values():
            path.mkdir()
        memory = self.dirs["memory"]
        (memory / "memory.limit_in_bytes").write_text(str(CONTAINMENT_MEMORY))
        if (memory / "memory.memsw.limit_in_bytes").exists():
            (memory / "memory.memsw.limit_in_bytes").write_text(str(CONTAINMENT_MEMORY))
        (self.dirs["pids"] / "pids.max").write_text(str(CONTAINMENT_PIDS))

    def join(self) -> None:
        """preexec_fn: runs in the child between fork and exec."""
        for path in self.dirs.values():
            with open(path / "cgroup.procs", "w") as f:
                f.write(str(os.getpid()))

    def pids(self) -> set[int]:
        found: set[int] = set()
        for path in self.dirs.values():
            for procs in path.rglob("cgroup.procs"):
                with contextlib.suppress(OSError):
                    found |= {int(p) for p in procs.read_text().split()}
        return found

    def kill_all(self) -> set[int]:
        """SIGKILL everything still inside; returns what was found on the first sweep."""
        first = self.pids()
        for _ in range(500):
            remaining = self.pids()
            if not remaining:
                break
            for pid in remaining:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)
        return first

    def limit_hits(self) -> dict[str, int]:
        memory, pids = self.dirs["memory"], self.dirs["pids"]
        hits = {"memory.failcnt": int((memory / "memory.failcnt").read_text())}
        if (memory / "memory.memsw.failcnt").exists():
            hits["memory.memsw.failcnt"] = int((memory / "memory.memsw.failcnt").read_text())
        events = (pids / "pids.events").read_text().split() if (pids / "pids.events").exists() else []
        hits["pids.events max"] = int(events[1]) if len(events) == 2 else 0
        return hits

    def remove(self) -> None:
        for path in self.dirs.values():
            if not path.exists():
                continue
            # Deepest first: the sandbox's own slot cgroups nest inside ours.
            for child in sorted((p for p in path.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
                with contextlib.suppress(OSError):
                    child.rmdir()
            with contextlib.suppress(OSError):
                path.rmdir()


def host_sandbox_processes(token: str) -> list[str]:
    """Host processes of the sandbox uids that belong to this run (or to no grader slot at all).

    Sandboxes of other concurrent runs live in their own ``stride-slot-*`` cgroups outside
    ours and are left out, so this check cannot be fooled by a neighbour.
    """
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
            cgroups = Path(f"/proc/{entry}/cgroup").read_text()
        except OSError:
            continue
        uid_line = next((line for line in status.splitlines() if line.startswith("Uid:")), "Uid:")
        if not any(int(u) in SANDBOX_UIDS for u in uid_line.split()[1:]):
            continue
        if token in cgroups or "stride-slot-" not in cgroups:
            found.append(f"pid {entry}: {uid_line.strip()}; cgroups {cgroups.split()}")
    return found


# ---------------------------------------------------------------------------
# One run of the driver per module


class HostileRun:
    def __init__(self, token: str, canaries: dict[str, str]):
        self.token = token
        self.marker = f"stride-hostile-{token}"
        self.canaries = canaries
        self.returncode: int | None = None
        self.timed_out = False
        self.stdout = ""
        self.stderr = ""
        self.records: list[dict] = []
        self.unparsed: list[str] = []
        self.duration_s = 0.0
        self.left_in_containment: set[int] = set()
        self.limit_hits: dict[str, int] = {}
        self.host_leftovers: list[str] = []

    def start_record(self) -> dict | None:
        return next((r for r in self.records if r.get("kind") == "start"), None)

    def end_record(self) -> dict | None:
        return next((r for r in self.records if r.get("kind") == "end"), None)

    def record(self, kind: str, attack: str) -> dict | None:
        return next((r for r in self.records if r.get("kind") == kind and r.get("attack") == attack), None)

    def diagnostics(self) -> str:
        return (
            f"driver exit status {self.returncode} (timed out: {self.timed_out}) after {self.duration_s:.1f} s\n"
            f"stderr (last 3000 chars):\n{self.stderr[-3000:]}"
        )


@pytest.fixture(scope="module")
def hostile_run() -> HostileRun:
    _check_prerequisites()
    return run_contained(ATTACKS)


def run_contained(attacks: list[str]) -> HostileRun:
    """Run the driver on ``attacks`` inside the containment and collect what it printed."""
    token = secrets.token_hex(8)
    canaries = {name: f"canary-{name.lower()}-{secrets.token_hex(16)}" for name in CANARY_NAMES}
    run = HostileRun(token, canaries)
    containment = Containment(run.marker)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(canaries)
    env["PYTHONPATH"] = str(REPO)
    env["PYTHONUNBUFFERED"] = "1"
    # Pid 1 of the new namespace is a shell that *waits* for the driver (no exec), so the
    # driver is an ordinary process there: kill(-1) from an escaped job would reach it.
    command = [
        "unshare", "--pid", "--fork", "--kill-child", "--mount-proc",
        "/bin/sh", "-c", '"$@"; exit $?', "sh",
        sys.executable, str(DRIVER), token, str(REPO), *attacks,
    ]  # fmt: skip
    started = time.monotonic()
    try:
        process = subprocess.Popen(
            command,
            cwd=str(REPO),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            preexec_fn=containment.join,
            start_new_session=True,
        )
        try:
            out, err = process.communicate(timeout=DRIVER_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            run.timed_out = True
            containment.kill_all()
            out, err = process.communicate(timeout=30)
        run.returncode = process.returncode
        run.duration_s = time.monotonic() - started
        # The namespace died with its pid 1; anything still in the cgroup escaped that.
        run.left_in_containment = containment.kill_all()
        run.limit_hits = containment.limit_hits()
    finally:
        containment.kill_all()
        containment.remove()
    run.stdout = out.decode(errors="replace")
    run.stderr = err.decode(errors="replace")
    if os.environ.get("STRIDE_HOSTILE_SAVE"):  # keep the raw JSON lines for a closer look
        Path(os.environ["STRIDE_HOSTILE_SAVE"]).write_text(run.stdout)
    for line in run.stdout.splitlines():
        try:
            run.records.append(json.loads(line))
        except ValueError:
            run.unparsed.append(line[:300])
    run.host_leftovers = host_sandbox_processes(token)
    return run


# ---------------------------------------------------------------------------
# The run as a whole


def test_it_has_an_expectation_for_every_attack_file():
    files = sorted(p.stem for p in HOSTILE.glob("*.py") if p.stem != "driver")
    assert files == ATTACKS
    assert len(ATTACKS) >= 22


def test_it_runs_the_driver_to_completion(hostile_run: HostileRun):
    assert not hostile_run.timed_out, hostile_run.diagnostics()
    assert hostile_run.returncode == 0, hostile_run.diagnostics()
    start = hostile_run.start_record()
    assert start is not None, hostile_run.diagnostics()
    assert start["canaries_present"], (
        "the driver did not see the canary variables: the secret checks would prove nothing"
    )
    assert start["attacks"][0] == "daemon_double_fork"
    assert hostile_run.end_record() is not None, hostile_run.diagnostics()
    missing = [a for a in ATTACKS if not all(hostile_run.record(k, a) for k in ("attack", "good", "probe"))]
    assert not missing, f"no result for {missing}\n{hostile_run.diagnostics()}"
    assert not hostile_run.unparsed, f"the driver printed something other than JSON lines: {hostile_run.unparsed[:5]}"


def test_it_finishes_quickly(hostile_run: HostileRun):
    assert hostile_run.duration_s < 90, f"the hostile run took {hostile_run.duration_s:.1f} s"


def test_it_leaks_no_canary_anywhere_in_the_output(hostile_run: HostileRun):
    for name, value in hostile_run.canaries.items():
        assert value not in hostile_run.stdout, f"the value of {name} appears in the driver's output"


def test_it_changes_no_file_outside_the_sandbox(hostile_run: HostileRun):
    found = []
    for folder in MARKER_DIRS:
        with contextlib.suppress(OSError):
            found += [os.path.join(folder, n) for n in os.listdir(folder) if hostile_run.marker in n]
    assert not found, f"attacks created files on the host: {found}"


def test_it_leaves_no_sandbox_process_on_the_host(hostile_run: HostileRun):
    assert not hostile_run.host_leftovers, f"processes of the sandbox uids survived: {hostile_run.host_leftovers}"
    end = hostile_run.end_record()
    assert end is not None, hostile_run.diagnostics()
    assert not end["leftover"], f"sandbox-uid processes alive after the sandbox closed: {end['leftover']}"


def test_it_stays_inside_the_containment(hostile_run: HostileRun):
    assert not hostile_run.left_in_containment, (
        f"processes outlived the driver's pid namespace: {sorted(hostile_run.left_in_containment)}"
    )
    hits = {k: v for k, v in hostile_run.limit_hits.items() if v}
    assert not hits, f"the containment's limits were reached (something escaped the sandbox's own): {hits}"


# ---------------------------------------------------------------------------
# One test per attack


def _verdicts(result: dict) -> set[str]:
    tests = result.get("tests") or []
    if not tests:
        return {result.get("verdict", "")}
    return {t["verdict"] for t in tests}


def _alive(record: dict) -> list[dict]:
    """Sandbox-uid processes still running after a grading.

    A killed job can stay a zombie (no code, no memory) until the zygote's next wait reaps
    it; those are left out here. Nothing at all may remain once the sandbox is closed.
    """
    return [p for p in record.get("leftover", []) if not p.get("state", "").startswith("Z")]


def _follow_up_problems(hostile_run: HostileRun, attack: str) -> list[str]:
    problems = []
    good, probe = hostile_run.record("good", attack), hostile_run.record("probe", attack)
    if good is None or probe is None:
        return ["the gradings after this attack are missing"]
    for record in (good, probe):
        if "error" in record:
            problems.append(f"the {record['kind']} grading afterwards failed internally: {record['error']}")
        if _alive(record):
            problems.append(f"sandbox-uid processes after the {record['kind']} grading: {_alive(record)}")
    if "result" in good:
        result = good["result"]
        if result["score"] != 1.0:
            problems.append(
                f"the known-good solution graded afterwards scored {result['score']} "
                f"({result['verdict']}: {result['message'][:300]})"
            )
        if good["elapsed_s"] > GOOD_GRADING_MAX_S:
            problems.append(f"the known-good solution graded afterwards took {good['elapsed_s']} s (normally ~0.05 s)")
    if "result" in probe:
        result = probe["result"]
        if result["verdict"] != "crashed" or "signal 11" not in result["message"]:
            problems.append(
                "a segfault at import graded afterwards came back as "
                f"{result['verdict']!r} ({result['message'][:200]!r}) instead of crashed by signal 11"
            )
    return problems


@pytest.mark.parametrize("attack", ATTACKS)
def test_it_contains_the_attack(hostile_run: HostileRun, attack: str):
    record = hostile_run.record("attack", attack)
    assert record is not None, f"no result for {attack}: the driver died or hung\n{hostile_run.diagnostics()}"
    problems = []

    # A clear verdict, reached by the grader (not an internal error).
    if "error" in record:
        problems.append(f"the grader failed internally: {record['error']}\n{record.get('traceback', '')}")
    else:
        result = record["result"]
        verdicts = _verdicts(result)
        ran = verdicts - {"not_run"}
        allowed = EXPECTED[attack]
        required = REQUIRED.get(attack, allowed)
        if not ran or not ran <= allowed or not ran & required:
            summary = [(t["name"], t["verdict"], t.get("message", "")[:200]) for t in result.get("tests", [])][:5]
            problems.append(
                f"verdicts {sorted(verdicts)} (submission verdict {result.get('verdict')!r}: "
                f"{result.get('message', '')[:300]!r}), expected only {sorted(allowed)} and at least one of "
                f"{sorted(required)}; first tests: {summary}"
            )
        if result.get("verdict") == "passed" or result.get("score", 1) != 0 or result.get("points", 1) != 0:
            problems.append(f"the attack scored: verdict {result.get('verdict')}, score {result.get('score')}")
        if "ESCAPED" in json.dumps(result):
            lines = [s for s in json.dumps(result).split("\\n") if "ESCAPED" in s]
            problems.append(f"the attack reports getting through a sandbox layer: {lines[:5]}")

    # Nothing secret in what the grader returned (stdout included).
    dumped = json.dumps(record)
    problems += [
        f"the value of {name} leaked into the result" for name, v in hostile_run.canaries.items() if v in dumped
    ]
    # No process of the sandbox uids after the grading.
    if _alive(record):
        problems.append(f"sandbox-uid processes survived the grading: {_alive(record)}")

    # The next gradings in the same slot are unaffected: a known-good solution scores 1.0
    # at its usual speed, and a segfault at import is reported as exactly that.
    problems += _follow_up_problems(hostile_run, attack)
    assert not problems, f"{attack} (graded in {record.get('elapsed_s')} s):\n- " + "\n- ".join(problems)
