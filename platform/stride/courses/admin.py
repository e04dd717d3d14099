from django.contrib import admin

from stride.courses.models import Course, Lesson, Module, Section, Step, StepProgress


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0
    fields = ["number", "title", "key", "position", "retired"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["slug", "number", "title", "version", "updated_at"]
    readonly_fields = ["version", "created_at", "updated_at"]
    search_fields = ["slug", "title"]
    inlines = [ModuleInline]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "course", "module", "retired"]
    list_filter = ["course", "retired"]


class StepInline(admin.StackedInline):
    model = Step
    extra = 0
    fields = ["position", "key", "type", "complete", "unlocks", "content", "question", "exercise", "retired"]
    ordering = ["position"]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "course", "section", "tutor", "retired"]
    list_filter = ["course", "retired"]
    search_fields = ["key", "title"]
    inlines = [StepInline]


@admin.register(StepProgress)
class StepProgressAdmin(admin.ModelAdmin):
    list_display = ["user", "step", "completed_at"]
    list_filter = ["step__lesson__course"]
    search_fields = ["user__username", "step__key", "step__lesson__key"]
    raw_id_fields = ["user", "step"]
