"""seed_demo's course step: import every course package and let the demo offering teach it."""

from __future__ import annotations

from stride.core.demo import Seed, step
from stride.courses.models import Course
from stride.courses.package import COURSES_DIR, course_dirs, load_course
from stride.courses.sync import sync_course

DEMO_COURSE = "cnn-features"


@step(order=50)
def courses(seed: Seed) -> None:
    """What ``manage.py sync_course`` does, then the offering ``demo`` teaches the demo course."""
    for folder in course_dirs(COURSES_DIR):
        report = sync_course(load_course(folder))
        seed.say(report.lines()[0] + (" (changed)" if report.changed() else " (unchanged)"))
    course = Course.objects.filter(slug=DEMO_COURSE).first()
    if seed.offering is not None and course is not None and seed.offering.course_id != course.pk:
        seed.offering.course = course
        seed.offering.save(update_fields=["course"])
        seed.say(f"offering {seed.offering.slug}: teaches {DEMO_COURSE}")
