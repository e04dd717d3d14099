"""Code exercises as the platform knows them: a copy of each package's metadata.

The packages in ``exercises/`` are the source of truth; :meth:`Exercise.sync_from_packages`
brings this table up to date (``python manage.py sync_exercises``).
"""

from __future__ import annotations

from django.db import models

from grader.package import EXERCISES_DIR, load_all


class Exercise(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    function = models.CharField(max_length=100)
    version = models.CharField(max_length=32, help_text="content hash of the package")
    statement = models.TextField()
    starter = models.TextField()
    order = models.IntegerField(default=100)
    max_points = models.FloatField(default=0)
    time_limit_s = models.FloatField(default=2.0)
    memory_limit_mb = models.PositiveIntegerField(default=256)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.slug

    @classmethod
    def sync_from_packages(cls, root=EXERCISES_DIR) -> dict[str, list[str]]:
        """Create or update one row per package; returns slugs by what happened to them."""
        report: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": []}
        for slug, package in load_all(root).items():
            fields = {
                "title": package.title,
                "function": package.function,
                "version": package.version,
                "statement": package.statement,
                "starter": package.starter,
                "order": package.order,
                "max_points": float(sum(c.points for c in package.build_cases(0))),
                "time_limit_s": package.time_limit_s,
                "memory_limit_mb": package.memory_limit_mb,
            }
            row = cls.objects.filter(slug=slug).first()
            if row is None:
                cls.objects.create(slug=slug, **fields)
                report["created"].append(slug)
            elif any(getattr(row, k) != v for k, v in fields.items()):
                for key, value in fields.items():
                    setattr(row, key, value)
                row.save(update_fields=[*fields, "updated_at"])
                report["updated"].append(slug)
            else:
                report["unchanged"].append(slug)
        return report
