"""Glossary terms of a course, linked automatically from its lessons' Markdown."""

from __future__ import annotations

from django.db import models


class Term(models.Model):
    course = models.ForeignKey("courses.Course", on_delete=models.CASCADE, related_name="terms")
    key = models.SlugField()
    term = models.CharField(max_length=200)
    aliases = models.JSONField(default=list, blank=True)
    keras = models.CharField(max_length=200, blank=True, help_text="the matching Keras name")
    definition = models.TextField(help_text="Markdown")
    see_also = models.JSONField(default=list, blank=True, help_text="keys of other terms")
    position = models.PositiveIntegerField(default=0)
    # Lower-cased term, aliases and definition, for search on any database.
    search_text = models.TextField(blank=True, editable=False)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["course", "position"]
        constraints = [models.UniqueConstraint(fields=["course", "key"], name="term_key_per_course")]

    def __str__(self) -> str:
        return self.term

    def names(self) -> list[str]:
        """The term and its aliases."""
        return [self.term, *self.aliases]

    def refresh_search_text(self) -> None:
        self.search_text = "\n".join([*self.names(), self.definition]).casefold()
