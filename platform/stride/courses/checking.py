"""What the course-package loader uses to read TOML files and report problems with their lines.

tomllib gives no positions for what it parsed, so :class:`Source` finds the line of the
n-th ``[[table]]`` and of a key below it by scanning the text, and :class:`Checker`
collects every problem (file, line, message) so an author sees them all at once.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
NUMBER = re.compile(r"\d+(\.\d+)*")
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class Source:
    """One TOML file's text, for finding the line of a table or a key in it."""

    def __init__(self, path: Path, relative: str, text: str) -> None:
        self.path, self.relative, self.lines = path, relative, text.splitlines()

    def table(self, header: str, index: int) -> int | None:
        """Line of the ``index``-th ``[[header]]`` (or ``[header]``) of the file, from 0."""
        seen = -1
        for number, line in enumerate(self.lines, 1):
            if line.strip() in (f"[[{header}]]", f"[{header}]"):
                seen += 1
                if seen == index:
                    return number
        return None

    def key(self, key: str, start: int | None = None) -> int | None:
        """Line of ``key = ...`` at or after line ``start``, before the next array-of-tables header."""
        begin = start or 1
        for number in range(begin, len(self.lines) + 1):
            line = self.lines[number - 1].strip()
            if number > begin and line.startswith("[[") and start is not None:
                break
            if re.match(rf'"?{re.escape(key)}"?\s*=', line):
                return number
        return start

    def find(self, needle: str, start: int | None = None) -> int | None:
        """First line at or after ``start`` that contains ``needle``."""
        for number in range(start or 1, len(self.lines) + 1):
            if needle in self.lines[number - 1]:
                return number
        return start


class Checker:
    """Collects problems; helpers return a sane value so checking can go on after one."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, source: Source | str, line: int | None, message: str) -> None:
        name = source.relative if isinstance(source, Source) else source
        self.problems.append(Problem(name, line, message))

    def read(self, path: Path, relative: str) -> tuple[Source | None, dict[str, Any]]:
        try:
            data = path.read_bytes()
        except OSError as error:
            self.add(relative, None, f"cannot be read: {error.strerror}")
            return None, {}
        if len(data) > MAX_FILE_BYTES:
            self.add(relative, None, f"is {len(data)} bytes; the limit is {MAX_FILE_BYTES}")
            return None, {}
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            self.add(relative, data[: error.start].count(b"\n") + 1, f"is not UTF-8 ({error.reason})")
            return None, {}
        source = Source(path, relative, text)
        try:
            return source, tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            found = re.search(r"line (\d+)", str(error))
            self.add(source, int(found.group(1)) if found else None, f"invalid TOML: {error}")
            return None, {}

    def text(
        self, table: dict, key: str, source: Source, line: int | None, *, required: bool = True, default: str = ""
    ) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.add(source, line, f"missing {key!r}")
            return default
        if not isinstance(value, str):
            self.add(source, source.key(key, line), f"{key!r} must be a string, not {_kind(value)}")
            return default
        if required and not value.strip():
            self.add(source, source.key(key, line), f"{key!r} is empty")
        return value

    def ident(self, table: dict, source: Source, line: int | None, seen: dict[str, int | None], what: str) -> str:
        value = self.text(table, "id", source, line)
        if value and not ID.fullmatch(value):
            self.add(
                source, source.key("id", line), f"{what} id {value!r} must be lowercase letters, digits and dashes"
            )
        elif value in seen:
            earlier = f" (first at line {seen[value]})" if seen[value] else ""
            self.add(source, source.key("id", line), f"duplicate {what} id {value!r}{earlier}")
        elif value:
            seen[value] = source.key("id", line)
        return value

    def number(self, table: dict, source: Source, line: int | None) -> str:
        value = self.text(table, "number", source, line)
        if value and not NUMBER.fullmatch(value):
            self.add(source, source.key("number", line), f"number {value!r} must look like 6.2.1")
        return value

    def strings(self, table: dict, key: str, source: Source, line: int | None) -> list[str]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.add(source, source.key(key, line), f"{key!r} must be a list of strings")
            return []
        return value

    def tables(self, data: dict, key: str, source: Source, *, required: bool = True) -> list[dict]:
        value = data.get(key)
        if value is None:
            if required:
                self.add(source, None, f"has no [[{key}]] entries")
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(source, source.key(key), f"{key!r} must be an array of tables ([[{key}]])")
            return []
        return value


def _kind(value: Any) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", list: "a list", dict: "a table"}.get(
        type(value), type(value).__name__
    )


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def is_grid(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(row, list) and row and len(row) == len(value[0]) for row in value)
        and all(is_number(v) for row in value for v in row)
    )
