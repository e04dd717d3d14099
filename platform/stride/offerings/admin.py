from django.contrib import admin

from stride.offerings.models import Enrollment, Offering


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "created_at"]
    inlines = [EnrollmentInline]
