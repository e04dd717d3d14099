"""The trusted supervisor of one sandbox slot: bubblewrap, a cgroup, a zygote, limits.

One :class:`Sandbox` is one worker slot. It starts a zygote (grader/jail.py) inside
bubblewrap once, then runs each job in a process forked from it with fresh namespaces,
an unprivileged uid per slot, rlimits and seccomp (see jail.py). The supervisor adds
what must live outside: the cgroup (memory, pids, CPU accounting and the final kill
sweep), the wall-clock timer, caps on results and on stdout/stderr, and reaping.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grader import jail

JAIL_DIR = "/opt/stride"
UID_BASE = 61000  # unprivileged uids, one per slot; they own nothing on the host
ZYGOTE_MEMORY_MB = 512  # bubblewrap and the zygote (about 40 MiB resident) in their own cgroup
PR_SET_CHILD_SUBREAPER = 36
PYTHON_VERSION_DIR = f"python{sys.version_info.major}.{sys.version_info.minor}"


class SandboxUnavailable(RuntimeError):
    """This machine cannot run the sandbox; the message says what is missing."""


class SandboxError(RuntimeError):
    """An infrastructure failure (not the student's): the grading may be retried."""


@dataclass
class Limits:
    step_seconds: float = 2.0  # wall-clock limit for the import and for each test
    step_cpu_seconds: float = 2.0  # CPU limit (all threads) for the import and for each test
    wall_seconds: float = 20.0  # ceiling for the whole job
    memory_mb: int = 256
    processes: int = 32
    tmp_bytes: int = 16 << 20
    file_size: int = 16 << 20
    result_bytes: int = 32 << 20
    log_bytes: int = 1 << 20
    log_kept: int = 8192


@dataclass
class RawRun:
    """What came out of one job, before any verdict."""

    frames: list = field(default_factory=list)
    log: bytes = b""
    log_total: int = 0
    exit_code: int | None = None
    exit_signal: int | None = None
    killed: str | None = None  # "wall", "cpu", "output", "result", or None
    memory_exceeded: bool = False
    protocol_error: str | None = None
    wall_ms: float = 0.0
    cpu_ms: float = 0.0


# ---------------------------------------------------------------------------
# cgroups (v1 as on hybrid hosts, or v2)


class Cgroup:
    """One cgroup node (v1: one folder per controller; v2: one unified folder).

    A slot is ``stride-slot-*/`` with two leaves: ``zygote/`` holds bubblewrap and the
    zygote, ``job/`` holds the running job and carries its memory and pids limits, so
    a memory bomb can only ever be OOM-killed itself, never the zygote.
    """

    CONTROLLERS = ("memory", "pids", "cpuacct")

    def __init__(self, dirs: dict[str, Path], v2: bool):
        self.dirs, self.v2 = dirs, v2
        for path in dirs.values():
            try:
                path.mkdir(exist_ok=True)
            except OSError as exc:
                raise SandboxUnavailable(f"cannot create cgroup {path}: {exc.strerror}") from None
        self._oom_before = 0

    @classmethod
    def for_slot(cls, name: str) -> Cgroup:
        """A new cgroup below this process's own, so the host's limits still apply."""
        own = {}
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            for controller in controllers.split(","):
                own[controller] = path.lstrip("/")
        if Path("/sys/fs/cgroup/cgroup.controllers").exists():
            slot = cls({"unified": Path("/sys/fs/cgroup") / own.get("", "") / name}, v2=True)
            (slot.dirs["unified"] / "cgroup.subtree_control").write_text("+memory +pids +cpu")
            return slot
        dirs = {}
        for controller in cls.CONTROLLERS:
            base = Path("/sys/fs/cgroup") / controller
            if not base.is_dir():
                raise SandboxUnavailable(f"the sandbox needs the cgroup {controller} controller at {base}")
            dirs[controller] = base / own.get(controller, "") / name
        return cls(dirs, v2=False)

    def child(self, name: str) -> Cgroup:
        return Cgroup({c: d / name for c, d in self.dirs.items()}, self.v2)

    def remove_stale_siblings(self) -> int:
        """Remove the slot cgroups of grader processes that died without closing them.

        A slot's cgroup is named after its owner's pid; a SIGKILLed worker (for example
        by Celery's hard time limit) cannot remove its own, so the next one does.
        """
        removed = 0
        for path in self.dirs.values():
            for stale in path.parent.glob("stride-slot-*-*"):
                owner = stale.name.split("-")[2]
                if stale == path or not owner.isdigit() or _alive(int(owner)):
                    continue
                for leaf in (stale / "job", stale / "zygote", stale):
                    with contextlib.suppress(OSError):
                        for pid in (leaf / "cgroup.procs").read_text().split():
                            with contextlib.suppress(ProcessLookupError):
                                os.kill(int(pid), signal.SIGKILL)
                    with contextlib.suppress(OSError):
                        leaf.rmdir()
                removed += not stale.exists()
        return removed

    def _write(self, controller: str, name: str, value) -> bool:
        try:
            (self.dirs[controller] / name).write_text(str(value))
            return True
        except OSError:
            return False

    def _read(self, controller: str, name: str) -> str:
        return (self.dirs[controller] / name).read_text()

    def procs_files(self) -> dict[str, str]:
        return {c: str(d / "cgroup.procs") for c, d in self.dirs.items()}

    def limit_pids(self, pids: int) -> None:
        self._write("unified" if self.v2 else "pids", "pids.max", pids)

    def limit_memory(self, memory_bytes: int) -> None:
        if self.v2:
            self._write("unified", "memory.max", memory_bytes)
            self._write("unified", "memory.swap.max", 0)
            return
        # memsw (memory + swap) must stay >= the memory limit, so the order of the two
        # writes depends on whether the limit grows or shrinks: try one, then the other.
        memsw = self.dirs["memory"] / "memory.memsw.limit_in_bytes"
        if not self._write("memory", "memory.limit_in_bytes", memory_bytes) and memsw.exists():
            memsw.write_text(str(memory_bytes))
            self._write("memory", "memory.limit_in_bytes", memory_bytes)
        if memsw.exists():
            self._write("memory", "memory.memsw.limit_in_bytes", memory_bytes)

    def reset_counters(self) -> None:
        if not self.v2:
            self._write("cpuacct", "cpuacct.usage", 0)
            self._write("memory", "memory.max_usage_in_bytes", 0)
        self._oom_before = self._oom_events()

    def cpu_ns(self) -> int:
        if self.v2:
            for line in self._read("unified", "cpu.stat").splitlines():
                if line.startswith("usage_usec"):
                    return int(line.split()[1]) * 1000
            return 0
        return int(self._read("cpuacct", "cpuacct.usage"))

    def _oom_events(self) -> int:
        if self.v2:
            events = dict(line.split() for line in self._read("unified", "memory.events").splitlines())
            return int(events.get("max", 0)) + int(events.get("oom_kill", 0))
        # oom_kill counts the kernel's kills in this cgroup; memsw.failcnt the times the
        # memory+swap ceiling was hit (a kill or a failed allocation follows either way).
        events = dict(line.split() for line in self._read("memory", "memory.oom_control").splitlines())
        failures = 0
        with contextlib.suppress(OSError, ValueError):
            failures = int(self._read("memory", "memory.memsw.failcnt"))
        return int(events.get("oom_kill", 0)) + failures

    def memory_exceeded(self) -> bool:
        return self._oom_events() > self._oom_before

    def pids(self) -> set[int]:
        return {int(p) for p in self._read("unified" if self.v2 else "pids", "cgroup.procs").split()}

    def kill_all(self) -> None:
        """SIGKILL every process in the cgroup until it is empty."""
        for _ in range(500):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.002)
        raise SandboxError("processes survived the kill sweep")

    def remove(self) -> None:
        for path in self.dirs.values():
            with contextlib.suppress(OSError):
                path.rmdir()


# ---------------------------------------------------------------------------


def check_available() -> None:
    """Raise SandboxUnavailable with one clear sentence if grading cannot work here."""
    if shutil.which("bwrap") is None:
        raise SandboxUnavailable(
            "bubblewrap is not installed: the grader refuses to run student code without it "
            "(Debian/Ubuntu: apt-get install bubblewrap)"
        )
    if os.geteuid() != 0:
        raise SandboxUnavailable(
            "the grader must run as root: it creates a cgroup per slot and drops each job to an "
            "unprivileged uid, which an ordinary user cannot do"
        )


def _readonly_binds() -> list[str]:
    """Read-only views of only what the interpreter and NumPy need."""
    binds: list[str] = []
    prefix = Path(sys.base_prefix).resolve()
    stdlib = prefix / "lib" / PYTHON_VERSION_DIR
    numpy_dir = Path(np.__file__).resolve().parent
    site = numpy_dir.parent
    libdirs = [p for p in ("/usr/lib", "/usr/lib64", "/usr/lib32") if os.path.isdir(p)]
    for path in libdirs:
        binds += ["--ro-bind", path, path]
    for link, target in (("/lib", "usr/lib"), ("/lib64", "usr/lib64")):
        if os.path.islink(link):
            binds += ["--symlink", target, link]
        elif os.path.isdir(link):
            binds += ["--ro-bind", link, link]
    # bubblewrap copies the host's modes onto the folders it creates for a mount point;
    # /root is 0700 on most hosts, so make the path to the interpreter traversable first.
    for ancestor in reversed(stdlib.parents):
        if str(ancestor) != "/":
            binds += ["--perms", "0755", "--dir", str(ancestor)]
    binds += ["--ro-bind", str(stdlib), str(stdlib)]
    # Site-packages of the base interpreter are not for students: hide them.
    if (stdlib / "site-packages").is_dir():
        binds += ["--tmpfs", str(stdlib / "site-packages")]
    for libdir in (prefix / "lib",):
        for lib in libdir.glob("libpython*.so*"):
            binds += ["--ro-bind", str(lib), str(lib)]
    executable = Path(sys.executable).resolve()
    binds += ["--ro-bind", str(executable), str(executable)]
    binds += ["--ro-bind", str(numpy_dir), f"{JAIL_DIR}/site/numpy"]
    if (site / "numpy.libs").is_dir():
        binds += ["--ro-bind", str(site / "numpy.libs"), f"{JAIL_DIR}/site/numpy.libs"]
    binds += ["--ro-bind", str(Path(jail.__file__).resolve()), f"{JAIL_DIR}/jail.py"]
    return binds


SLOT_LOCK_DIR = Path(os.environ.get("STRIDE_SLOT_LOCK_DIR", "/run/stride-slots"))
MAX_SLOTS = 100


def allocate_slot() -> int:
    """A slot number no other live process on this machine holds (kept until exit).

    Each slot has its own uid, so two processes must never share one; an flock on a
    file per slot is released by the kernel when its holder dies, however it dies.
    """
    import fcntl as _fcntl

    SLOT_LOCK_DIR.mkdir(parents=True, exist_ok=True)
    for slot in range(MAX_SLOTS):
        handle = open(SLOT_LOCK_DIR / f"slot-{slot}.lock", "w")  # noqa: SIM115 - held for the process's life
        try:
            _fcntl.flock(handle, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        _held_slot_locks.append(handle)
        return slot
    raise SandboxUnavailable(f"all {MAX_SLOTS} sandbox slots on this machine are taken")


_held_slot_locks: list = []


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie has finished: only its exit status is left)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2 :].split()[0] != "Z"


class Sandbox:
    """One worker slot. Not thread-safe: a slot runs one job at a time."""

    def __init__(self, slot: int | None = None, limits: Limits | None = None, reaper: bool = False):
        """``slot`` picks the uid and cgroup; by default a free one is locked for this process.

        ``reaper`` makes this process a child subreaper that reaps whatever the sandbox
        leaves re-parented to it: right for a worker or a command line, wrong in a process
        whose other children's exit statuses matter (it could reap them first).
        """
        check_available()
        slot = allocate_slot() if slot is None else slot
        self.slot = slot
        self.uid = UID_BASE + slot
        self.default_limits = limits or Limits()
        self.cgroup = Cgroup.for_slot(f"stride-slot-{os.getpid()}-{slot}")
        self.zygote_cgroup = self.cgroup.child("zygote")
        self.job_cgroup = self.cgroup.child("job")
        self.cgroup.remove_stale_siblings()
        self.process: subprocess.Popen | None = None
        self.control: socket.socket | None = None
        self.zygote_pid: int | None = None
        self.reaper = reaper
        if reaper:
            _become_subreaper()

    # -- zygote lifecycle ---------------------------------------------------

    def start(self) -> None:
        if self.process is not None:
            return
        # A ceiling on the whole slot, in case anything escaped the job's own limits.
        self.cgroup.limit_pids(self.default_limits.processes + 16)
        self.zygote_cgroup.limit_memory(ZYGOTE_MEMORY_MB << 20)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        info_r, info_w = os.pipe()
        args = [
            "bwrap",
            "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup",
            "--die-with-parent", "--new-session", "--as-pid-1",
            "--cap-drop", "ALL",
            "--cap-add", "CAP_SYS_ADMIN", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
            "--clearenv",
            "--setenv", "OPENBLAS_NUM_THREADS", "1",
            "--setenv", "OMP_NUM_THREADS", "1",
            "--setenv", "MKL_NUM_THREADS", "1",
            "--setenv", "HOME", "/tmp",
            "--setenv", "LANG", "C.UTF-8",
            "--setenv", "PATH", "/usr/bin",
            *_readonly_binds(),
            "--dev", "/dev",
            "--size", str(self.default_limits.tmp_bytes), "--tmpfs", "/tmp",
            *self._cgroup_binds(),
            "--remount-ro", "/",
            "--chdir", "/tmp",
            "--info-fd", str(info_w),
            "--",
            str(Path(sys.executable).resolve()), "-I", "-B", "-c", _ZYGOTE_BOOT, str(theirs.fileno()),
        ]  # fmt: skip
        procs_files = list(self.zygote_cgroup.procs_files().values())

        def join_cgroup() -> None:
            for procs in procs_files:
                with open(procs, "w") as f:
                    f.write(str(os.getpid()))

        self.process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(theirs.fileno(), info_w),
            preexec_fn=join_cgroup,
            env={"PATH": "/usr/bin:/bin"},
        )
        theirs.close()
        os.close(info_w)
        self.control = ours
        try:
            info = json.loads(_read_all(info_r, timeout=10))
            self.zygote_pid = int(info["child-pid"])
            ready = self._receive_control(timeout=20)
        except (ValueError, KeyError, SandboxError) as exc:
            stderr = self._stop_process()
            raise SandboxError(f"the sandbox did not start: {exc}; bwrap said: {stderr[-800:]}") from None
        finally:
            os.close(info_r)
        if ready.get("event") != "ready":
            self._stop_process()
            raise SandboxError(f"unexpected first message from the sandbox: {ready}")

    def _stop_process(self) -> str:
        stderr = ""
        if self.process is not None:
            self.process.kill()
            try:
                _, err = self.process.communicate(timeout=5)
                stderr = (err or b"").decode(errors="replace")
            except subprocess.TimeoutExpired:
                pass
        if self.control is not None:
            self.control.close()
        self.process = self.control = self.zygote_pid = None
        for group in (self.job_cgroup, self.zygote_cgroup):
            with contextlib.suppress(SandboxError, OSError):
                group.kill_all()
        return stderr

    def close(self) -> None:
        self._stop_process()
        for group in (self.job_cgroup, self.zygote_cgroup, self.cgroup):
            group.remove()

    def _cgroup_binds(self) -> list[str]:
        """The job cgroup's procs files, writable only by the (root) keeper that joins them."""
        binds = []
        for controller, procs in self.job_cgroup.procs_files().items():
            binds += ["--bind", procs, f"{jail.CGROUP_DIR}/{controller}"]
        return binds

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _receive_control(self, timeout: float) -> dict:
        assert self.control is not None
        ready, _, _ = select.select([self.control], [], [], timeout)
        if not ready:
            raise SandboxError("no answer from the zygote")
        data = self.control.recv(65536)
        if not data:
            raise SandboxError("the zygote exited")
        return json.loads(data)

    # -- one job ----------------------------------------------------------------

    def run(
        self, request: dict, blobs: list, limits: Limits | None = None, hidden: tuple[dict, list] | None = None
    ) -> RawRun:
        """Run one job to completion and return its raw output (never raises for student behaviour).

        ``hidden`` (a second request: the hidden tests) is sent only after the job's
        stdout/stderr pipe has reached its end, that is once no process of the job can
        print any more: what a student sees can never contain hidden inputs.
        """
        limits = limits or self.default_limits
        if self.process is None or self.process.poll() is not None:
            self.process = None
            self.start()
        assert self.control is not None and self.zygote_pid is not None
        self.job_cgroup.limit_memory(limits.memory_mb << 20)
        self.job_cgroup.limit_pids(limits.processes)
        self.job_cgroup.reset_counters()

        in_r, in_w = os.pipe()
        out_r, out_w = os.pipe()
        log_r, log_w = os.pipe()
        job_limits = {
            "uid": self.uid,
            "address_space": (limits.memory_mb + 1024) << 20,  # NumPy maps ~0.6 GiB it never touches
            "cpu_seconds": max(1, int(limits.wall_seconds + 1)),
            "file_size": limits.file_size,
            "processes": limits.processes,
            "tmp_bytes": limits.tmp_bytes,
        }
        start = time.monotonic()
        cpu_start = self.job_cgroup.cpu_ns()
        try:
            socket.send_fds(
                self.control,
                [json.dumps({"limits": job_limits}).encode()],
                [in_r, out_w, log_w],
            )
        except OSError as exc:
            for fd in (in_r, in_w, out_r, out_w, log_r, log_w):
                os.close(fd)
            self._stop_process()
            raise SandboxError(f"cannot reach the zygote: {exc}") from None
        for fd in (in_r, out_w, log_w):
            os.close(fd)

        ours = {in_w, out_r, log_r}
        try:
            payload = jail.encode_frame(request, blobs)
            # Every job reads a second request, if only an empty one.
            second = jail.encode_frame(*(hidden or ({"tests": []}, [])))
            run = RawRun()
            reader = jail.FrameReader()
            result_bytes = 0
            log_kept = bytearray()
            open_fds = {out_r, log_r}
            for fd in (in_w, out_r, log_r):
                fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)
            writing = memoryview(payload)
            exit_message = None
            deadline = start + limits.wall_seconds
            # Each test (and the import) gets its own budget, restarted at every "start" frame.
            # A forged frame can only stretch a job up to the overall deadline.
            step_deadline, step_cpu = start + limits.step_seconds, cpu_start
            poller = select.poll()
            poller.register(out_r, select.POLLIN)
            poller.register(log_r, select.POLLIN)
            poller.register(self.control, select.POLLIN)
            poller.register(in_w, select.POLLOUT)

            def kill(reason: str) -> None:
                if run.killed is None:
                    run.killed = reason
                self.job_cgroup.kill_all()

            while exit_message is None or open_fds:
                now = time.monotonic()
                if exit_message is None and run.killed is None:
                    if now >= min(deadline, step_deadline):
                        kill("wall")
                    elif (self.job_cgroup.cpu_ns() - step_cpu) / 1e9 > limits.step_cpu_seconds:
                        kill("cpu")
                if now > start + limits.wall_seconds + 10:
                    self._stop_process()
                    raise SandboxError("the sandbox did not report the end of a job")
                for fd, _event in poller.poll(50):
                    if fd == in_w:
                        try:
                            written = os.write(in_w, writing[: 1 << 16])
                            writing = writing[written:]
                        except BlockingIOError:
                            continue
                        except BrokenPipeError:
                            writing = memoryview(b"")
                        if not writing:
                            poller.unregister(in_w)
                            if second is None:
                                os.close(in_w)
                                ours.discard(in_w)
                    elif fd == self.control.fileno():
                        data = self.control.recv(65536)
                        if not data:
                            self._stop_process()
                            raise SandboxError("the zygote died during a job")
                        exit_message = json.loads(data)
                        poller.unregister(self.control)
                    else:
                        try:
                            chunk = os.read(fd, 1 << 16)
                        except BlockingIOError:
                            continue
                        if not chunk:
                            poller.unregister(fd)
                            open_fds.discard(fd)
                            os.close(fd)
                            ours.discard(fd)
                            if fd == log_r and second is not None and in_w in ours:
                                # Nobody can print any more: now the hidden inputs may go.
                                writing, second = memoryview(bytes(writing) + second), None
                                poller.register(in_w, select.POLLOUT)
                            continue
                        if fd == log_r:
                            run.log_total += len(chunk)
                            if len(log_kept) < limits.log_kept:
                                log_kept += chunk[: limits.log_kept - len(log_kept)]
                            if run.log_total > limits.log_bytes:
                                kill("output")
                        else:
                            result_bytes += len(chunk)
                            if result_bytes > limits.result_bytes:
                                kill("result")
                                continue
                            if run.protocol_error is None:
                                frames = reader.feed(chunk)
                                run.protocol_error = reader.error
                                run.frames.extend(frames)
                                if any(f[0].get("event") in ("start", "loaded") for f in frames):
                                    step_deadline = time.monotonic() + limits.step_seconds
                                    step_cpu = self.job_cgroup.cpu_ns()
            run.wall_ms = (time.monotonic() - start) * 1000
            run.cpu_ms = (self.job_cgroup.cpu_ns() - cpu_start) / 1e6
            run.log = bytes(log_kept)
            run.exit_code = exit_message.get("code")
            run.exit_signal = exit_message.get("signal")
            run.memory_exceeded = self.job_cgroup.memory_exceeded()
            # Nothing of the job may outlive it; the pid namespace makes this a formality.
            self.job_cgroup.kill_all()
            if self.reaper:
                reap_orphans({self.process.pid} if self.process else set())
            return run
        except (SandboxError, jail.WireError):
            raise
        except Exception as exc:
            # Whatever went wrong, the job must not outlive this call, and a slot in an
            # unknown state is replaced rather than reused.
            with contextlib.suppress(Exception):
                self.job_cgroup.kill_all()
            self._stop_process()
            raise SandboxError(f"supervising the job failed: {type(exc).__name__}: {exc}") from exc
        finally:
            for fd in ours:
                with contextlib.suppress(OSError):
                    os.close(fd)


# The zygote is started with -I (no environment, no user site); this tells it where NumPy is.
_ZYGOTE_BOOT = (
    "import sys; sys.path.insert(0, '/opt/stride/site'); sys.path.insert(0, '/opt/stride'); "
    "import jail; jail.zygote_main(int(sys.argv[1]))"
)


def _read_all(fd: int, timeout: float) -> bytes:
    data = b""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise SandboxError("timed out waiting for bubblewrap")
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 4096)
        if not chunk:
            return data
        data += chunk
        if data.strip().endswith(b"}"):
            return data


def _become_subreaper() -> None:
    """Orphans of our sandboxes are re-parented to us and reaped, not left as zombies."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except OSError:
        pass
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)


def reap_orphans(own_children: set[int]) -> None:
    """Reap processes re-parented to us (we are a subreaper), leaving our own children alone.

    ``own_children`` are the pids subprocess.Popen waits for itself; reaping them here
    would hide their exit status from it.
    """
    while True:
        try:
            info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return
        if info is None or info.si_pid in own_children:
            return
        with contextlib.suppress(ChildProcessError):
            os.waitpid(info.si_pid, 0)
