"""Command line for instructors and CI.

python -m grader grade SLUG FILE [--seed N]   one JSON result on stdout, exit 0 on any verdict
python -m grader validate [SLUG ...]          check packages; exit 1 if any check fails
python -m grader list                         the exercises and their versions
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from grader.package import EXERCISES_DIR, PackageError, exercise_dirs, find_exercise, load_exercise
from grader.sandbox import Sandbox, SandboxError, SandboxUnavailable

EXIT_USAGE, EXIT_UNAVAILABLE = 2, 3


def _grade(args: argparse.Namespace) -> int:
    from grader.grade import grade_submission

    exercise = find_exercise(args.slug, Path(args.root))
    path = Path(args.file)
    if not path.is_file():
        print(f"grader: no such file: {path}", file=sys.stderr)
        return EXIT_USAGE
    with Sandbox(reaper=True) as sandbox:
        result = grade_submission(exercise, path.read_bytes(), sandbox, seed=args.seed)
    print(json.dumps(result, indent=2 if args.pretty else None))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from grader.validate import validate_exercise

    root = Path(args.root)
    slugs = args.slugs or [p.parent.name for p in sorted(root.glob("*/exercise.toml"))]
    failures = 0
    with Sandbox(reaper=True) as sandbox:
        for slug in slugs:
            try:
                exercise = find_exercise(slug, root)
                problems, lines = validate_exercise(exercise, sandbox, seeds=args.seeds)
            except PackageError as exc:
                problems, lines = [str(exc)], []
            status = "ok" if not problems else "FAILED"
            print(f"{slug}: {status}")
            for line in lines:
                print(f"  {line}")
            for problem in problems:
                print(f"  problem: {problem}")
            failures += bool(problems)
    print(f"{len(slugs) - failures} passed, {failures} failed")
    return 1 if failures else 0


def _list(args: argparse.Namespace) -> int:
    broken = 0
    for folder in exercise_dirs(Path(args.root)):
        try:
            exercise = load_exercise(folder)
        except PackageError as exc:
            print(f"{folder.name:18} BROKEN  {exc}")
            broken += 1
            continue
        print(f"{exercise.slug:18} {exercise.version}  {exercise.title}")
    return 1 if broken else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader", description="Stride's sandboxed NumPy grader")
    parser.add_argument(
        "--root",
        default=str(EXERCISES_DIR),
        help="folder holding the exercise packages",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    grade = commands.add_parser("grade", help="grade FILE against exercise SLUG and print one JSON object")
    grade.add_argument("slug")
    grade.add_argument("file")
    grade.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed for the randomized tests (default: fresh)",
    )
    grade.add_argument("--pretty", action="store_true", help="indent the JSON")
    grade.set_defaults(run=_grade)
    validate = commands.add_parser("validate", help="check that packages grade their samples as labelled")
    validate.add_argument("slugs", nargs="*")
    validate.add_argument("--seeds", type=int, default=3, help="random seeds to try per sample")
    validate.set_defaults(run=_validate)
    listing = commands.add_parser("list", help="list the exercises")
    listing.set_defaults(run=_list)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except PackageError as exc:
        print(f"grader: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except SandboxUnavailable as exc:
        print(f"grader: cannot grade here: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    except SandboxError as exc:
        print(f"grader: sandbox failure: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE
