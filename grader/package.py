"""Load and check an exercise package: the trusted side's view of one exercise.

A package is a folder ``exercises/<slug>/`` holding::

    exercise.toml     metadata, limits, tolerances, points
    statement.md      what students read
    starter.py        what the editor starts with
    reference.py      the reference implementation (never shown, never sandboxed)
    tests.py          test definitions (see grader.spec)
    solutions/good_*.py, solutions/bad_*.py   samples that validate the tests

Every problem with a package is reported as a PackageError that names the file and,
where there is one, the line.
"""

from __future__ import annotations

import hashlib
import tomllib
import traceback
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from grader import jail
from grader.spec import Case

EXERCISES_DIR = Path(__file__).resolve().parent.parent / "exercises"
REQUIRED_FILES = (
    "exercise.toml",
    "statement.md",
    "starter.py",
    "reference.py",
    "tests.py",
)
RETURN_KINDS = ("array", "int")
MAX_TIME_LIMIT_S = 10.0
MAX_MEMORY_LIMIT_MB = 1024


class PackageError(Exception):
    """A malformed exercise package. ``str()`` reads ``path:line: message``."""

    def __init__(self, message: str, path: Path | str, line: int | None = None):
        self.message = message
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass
class Exercise:
    slug: str
    title: str
    function: str
    returns: str
    order: int
    path: Path
    time_limit_s: float
    memory_limit_mb: int
    rtol: float
    atol: float
    statement: str
    starter: str
    version: str
    reference: types.ModuleType
    tests: types.ModuleType
    sample_checks: dict[str, list[str]] = field(default_factory=dict)

    @property
    def reference_function(self):
        return getattr(self.reference, self.function)

    def samples(self) -> list[Path]:
        folder = self.path / "solutions"
        return sorted(folder.glob("*.py")) if folder.is_dir() else []

    def build_cases(self, seed: int) -> list[Case]:
        """All cases for one grading, the randomized ones drawn from ``seed``."""
        cases: list[Case] = []
        for func_name, visible, randomized in (
            ("visible_cases", True, False),
            ("hidden_cases", False, False),
            ("random_cases", False, True),
        ):
            func = getattr(self.tests, func_name, None)
            if func is None:
                continue
            args = (np.random.default_rng(seed),) if randomized else ()
            produced = _call_author_code(func, args, self.path / "tests.py")
            if not isinstance(produced, list) or not all(isinstance(c, Case) for c in produced):
                raise PackageError(
                    f"{func_name}() must return a list of case(...)",
                    self.path / "tests.py",
                )
            for c in produced:
                c.visible, c.randomized = visible, randomized
            cases.extend(produced)
        seen: dict[str, Case] = {}
        for c in cases:
            if c.name in seen:
                first = seen[c.name]
                raise PackageError(
                    f"duplicate test name {c.name!r} (first defined at line {first.lineno})",
                    c.filename,
                    c.lineno,
                )
            seen[c.name] = c
            try:
                jail.encode_value((c.args, c.kwargs), [])
            except TypeError as exc:
                raise PackageError(f"test {c.name!r}: {exc} to the sandbox", c.filename, c.lineno) from None
        if not cases:
            raise PackageError("defines no test cases", self.path / "tests.py")
        return cases

    def expected_output(self, c: Case) -> Any:
        """Run the reference on a private copy of the case's inputs."""
        args, kwargs = copy_arguments(c.args), copy_arguments(c.kwargs)
        try:
            result = getattr(self.reference, self.function)(*args, **kwargs)
        except (Exception, SystemExit) as exc:
            line = _author_line(exc, self.path / "reference.py")
            raise PackageError(
                f"reference raised {type(exc).__name__}: {exc} on test {c.name!r} (tests.py line {c.lineno})",
                self.path / "reference.py",
                line,
            ) from None
        return result


def copy_arguments(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(copy_arguments(v) for v in value)
    if isinstance(value, list):
        return [copy_arguments(v) for v in value]
    if isinstance(value, dict):
        return {k: copy_arguments(v) for k, v in value.items()}
    return value


def _author_line(exc: BaseException, path: Path) -> int | None:
    """The deepest line of ``path`` in the exception's traceback."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == path.resolve():
            line = frame.lineno
    if line is None and isinstance(exc, SyntaxError) and exc.filename == str(path):
        line = exc.lineno
    return line


def _call_author_code(func, args: tuple, path: Path) -> Any:
    try:
        return func(*args)
    except PackageError:
        raise
    except (Exception, SystemExit) as exc:
        raise PackageError(f"{type(exc).__name__}: {exc}", path, _author_line(exc, path)) from None


def _load_module(path: Path, name: str) -> types.ModuleType:
    source = read_utf8(path)
    module = types.ModuleType(name)
    module.__file__ = str(path)
    try:
        code = compile(source, str(path), "exec")
        exec(code, module.__dict__)
    except SyntaxError as exc:
        raise PackageError(f"syntax error: {exc.msg}", path, exc.lineno) from None
    except (Exception, SystemExit) as exc:
        raise PackageError(f"{type(exc).__name__} while loading: {exc}", path, _author_line(exc, path)) from None
    return module


def read_utf8(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PackageError(f"not UTF-8 ({exc.reason} at byte {exc.start})", path, line) from None


def package_version(path: Path) -> str:
    """A content hash of every file in the package: it changes whenever grading may."""
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        digest.update(file.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _field(meta: dict, key: str, kind: type | tuple, path: Path, default: Any = ...) -> Any:
    if key not in meta:
        if default is ...:
            raise PackageError(f"missing required key {key!r}", path)
        return default
    value = meta[key]
    if isinstance(value, bool) or not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise PackageError(
            f"{key!r} must be {names}, not {type(value).__name__}",
            path,
            _toml_line(path, key),
        )
    return value


def _toml_line(path: Path, key: str) -> int | None:
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if text.split("=", 1)[0].strip().strip('"') == key:
            return number
    return None


def load_exercise(path: Path | str) -> Exercise:
    path = Path(path).resolve()
    if not path.is_dir():
        raise PackageError("no such exercise folder", path)
    for name in REQUIRED_FILES:
        if not (path / name).is_file():
            raise PackageError(f"missing file {name}", path / name)
    toml_path = path / "exercise.toml"
    try:
        meta = tomllib.loads(read_utf8(toml_path))
    except tomllib.TOMLDecodeError as exc:
        # tomllib's messages end with "(at line L, column C)".
        line = getattr(exc, "lineno", None)
        if line is None and "line " in str(exc):
            try:
                line = int(str(exc).rsplit("line ", 1)[1].split(",")[0])
            except ValueError:
                line = None
        raise PackageError(f"invalid TOML: {exc}", toml_path, line) from None

    slug = _field(meta, "slug", str, toml_path)
    if slug != path.name:
        raise PackageError(
            f"slug {slug!r} does not match the folder name {path.name!r}",
            toml_path,
            _toml_line(toml_path, "slug"),
        )
    returns = _field(meta, "returns", str, toml_path, "array")
    if returns not in RETURN_KINDS:
        raise PackageError(
            f"'returns' must be one of {RETURN_KINDS}",
            toml_path,
            _toml_line(toml_path, "returns"),
        )
    time_limit = float(_field(meta, "time_limit_s", (int, float), toml_path, 2.0))
    memory_limit = _field(meta, "memory_limit_mb", int, toml_path, 256)
    if not 0 < time_limit <= MAX_TIME_LIMIT_S:
        raise PackageError(
            f"time_limit_s must be in (0, {MAX_TIME_LIMIT_S}]",
            toml_path,
            _toml_line(toml_path, "time_limit_s"),
        )
    if not 32 <= memory_limit <= MAX_MEMORY_LIMIT_MB:
        raise PackageError(
            f"memory_limit_mb must be in [32, {MAX_MEMORY_LIMIT_MB}]",
            toml_path,
            _toml_line(toml_path, "memory_limit_mb"),
        )
    sample_checks = _field(meta, "sample_checks", dict, toml_path, {})
    for sample, names in sample_checks.items():
        if not (path / "solutions" / sample).is_file():
            raise PackageError(
                f"sample_checks names missing file solutions/{sample}",
                toml_path,
                _toml_line(toml_path, sample),
            )
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise PackageError(
                f"sample_checks.{sample} must be a list of test names",
                toml_path,
                _toml_line(toml_path, sample),
            )

    function = _field(meta, "function", str, toml_path)
    reference = _load_module(path / "reference.py", f"stride_reference_{slug.replace('-', '_')}")
    if not callable(getattr(reference, function, None)):
        raise PackageError(f"reference.py does not define {function}()", path / "reference.py")
    tests = _load_module(path / "tests.py", f"stride_tests_{slug.replace('-', '_')}")
    if not any(hasattr(tests, n) for n in ("visible_cases", "hidden_cases", "random_cases")):
        raise PackageError(
            "tests.py defines none of visible_cases, hidden_cases, random_cases",
            path / "tests.py",
        )

    return Exercise(
        slug=slug,
        title=_field(meta, "title", str, toml_path),
        function=function,
        returns=returns,
        order=_field(meta, "order", int, toml_path, 100),
        path=path,
        time_limit_s=time_limit,
        memory_limit_mb=memory_limit,
        rtol=float(_field(meta, "rtol", (int, float), toml_path, 1e-7)),
        atol=float(_field(meta, "atol", (int, float), toml_path, 1e-9)),
        statement=(path / "statement.md").read_text(encoding="utf-8"),
        starter=(path / "starter.py").read_text(encoding="utf-8"),
        version=package_version(path),
        reference=reference,
        tests=tests,
        sample_checks=sample_checks,
    )


def exercise_dirs(root: Path = EXERCISES_DIR) -> list[Path]:
    return sorted(p.parent for p in root.glob("*/exercise.toml"))


def load_all(root: Path = EXERCISES_DIR) -> dict[str, Exercise]:
    exercises = {}
    for folder in exercise_dirs(root):
        exercise = load_exercise(folder)
        exercises[exercise.slug] = exercise
    return dict(sorted(exercises.items(), key=lambda kv: (kv[1].order, kv[0])))


def find_exercise(slug: str, root: Path = EXERCISES_DIR) -> Exercise:
    folder = root / slug
    if not (folder / "exercise.toml").is_file():
        known = ", ".join(p.name for p in exercise_dirs(root)) or "none"
        raise PackageError(f"unknown exercise {slug!r} (known: {known})", folder)
    return load_exercise(folder)
