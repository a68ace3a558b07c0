"""The staff area for the catalogue: curation by librarians, every change audited.

The association's staff edit the national catalogue (metadata, themes, licence windows,
withdrawals, national shelves); municipality staff see the books and keep their own
municipality's shelves, scoped through members.scoping like every staff lookup.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_tasks.base import TaskResultStatus

from bibblix.audit.admin import AuditHistoryMixin
from bibblix.audit.models import AuditEntry
from bibblix.audit.services import record_change
from bibblix.members.scoping import MunicipalityScopedAdmin
from bibblix.members.services import is_limited_staff, staff_municipality_id

from . import importing, services
from .forms import BookAdminForm, EpubUploadForm
from .models import Book, BookContributor, Contributor, Shelf, ShelfEntry, Theme

Action = AuditEntry.Action


def _municipality_of(obj) -> int | None:
    """The municipality a curated row belongs to (a municipality's shelf), for audit scoping."""
    return getattr(obj, "municipality_id", None)


class AuditedAdmin(AuditHistoryMixin, admin.ModelAdmin):
    """Records every save and delete made in the staff area in the audit trail (shown on the
    object's history page)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changes = {
            name: [form.initial.get(name), form.cleaned_data.get(name)]
            for name in form.changed_data
        }
        action = Action.CHANGED if change else Action.CREATED
        record_change(request.user, action, obj, changes, municipality_id=_municipality_of(obj))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        changes = {}
        for row in formset.new_objects:
            changes[f"+ {row}"] = ["", str(row)]
        for row, fields in formset.changed_objects:
            changes[f"~ {row}"] = ["", ", ".join(fields)]
        for row in formset.deleted_objects:
            changes[f"- {row}"] = [str(row), ""]
        if changes:
            obj = form.instance
            record_change(
                request.user, Action.CHANGED, obj, changes, municipality_id=_municipality_of(obj)
            )

    def delete_model(self, request, obj):
        record_change(request.user, Action.DELETED, obj, municipality_id=_municipality_of(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record_change(request.user, Action.DELETED, obj, municipality_id=_municipality_of(obj))
        super().delete_queryset(request, queryset)


class NationalCatalogueAdmin(AuditedAdmin):
    """Municipality staff may look, not change: the catalogue is shared by every municipality."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not is_limited_staff(request.user)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not is_limited_staff(request.user)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not is_limited_staff(request.user)


class BookContributorInline(admin.TabularInline):
    model = BookContributor
    extra = 0
    autocomplete_fields = ["contributor"]


@admin.register(Book)
class BookAdmin(NationalCatalogueAdmin):
    list_display = [
        "title",
        "language",
        "ages",
        "layout",
        "licence_model",
        "available_from",
        "available_until",
        "is_free_to_try",
        "is_withdrawn",
        "is_hidden_from_children",
        "is_generated",
    ]
    list_filter = [
        "is_withdrawn",
        "is_hidden_from_children",
        "is_free_to_try",
        "is_featured",
        "is_easy_to_read",
        "is_generated",
        "language",
        "layout",
        "licence_model",
        "themes",
    ]
    search_fields = ["title", "isbn", "identifier", "series"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    filter_horizontal = ["themes"]
    inlines = [BookContributorInline]
    actions = ["withdraw", "restore", "hide_from_children", "show_to_children"]
    # Files change only through the safe import (EPUB) or `replace_cover` (every cover size):
    # a plain file field would store an unchecked EPUB and leave the old cover sizes in use.
    readonly_fields = [
        "epub",
        "cover",
        "cover_renditions",
        "subjects",
        "accessibility",
        "identifier",
    ]
    form = BookAdminForm
    change_list_template = "admin/catalogue/book/change_list.html"

    @admin.display(description=_("Age"), ordering="age_min")
    def ages(self, obj: Book) -> str:
        return obj.age_label

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "subtitle",
                    "alternative_titles",
                    "description",
                    "content_note",
                    "themes",
                ]
            },
        ),
        (
            _("For whom"),
            {
                "fields": [
                    ("age_min", "age_max", "reading_age_min"),
                    ("is_easy_to_read", "reading_level"),
                    "language",
                    ("page_count", "reading_minutes"),
                    ("layout", "has_media_overlays"),
                ]
            },
        ),
        (
            _("Publication"),
            {
                "fields": [
                    ("series", "series_number"),
                    ("publisher", "published_year"),
                    ("isbn", "identifier"),
                    "epub",
                    "cover",
                    "new_cover",
                    "cover_url",
                    "cover_renditions",
                    "subjects",
                    "accessibility",
                ]
            },
        ),
        (
            _("Licence and visibility"),
            {
                "fields": [
                    ("licence_model", "licence_copies"),
                    ("available_from", "available_until"),
                    ("is_withdrawn", "is_featured", "is_free_to_try"),
                    "is_generated",
                ]
            },
        ),
    ]

    @admin.action(description=_("Withdraw the selected books (hide them from children)"))
    def withdraw(self, request, queryset):
        count = sum(services.withdraw_book(book, request.user) for book in queryset)
        self.message_user(
            request,
            ngettext("%(count)d book withdrawn.", "%(count)d books withdrawn.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Show the selected books to children again"))
    def restore(self, request, queryset):
        count = sum(services.restore_book(book, request.user) for book in queryset)
        self.message_user(
            request,
            ngettext("%(count)d book restored.", "%(count)d books restored.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def has_hide_permission(self, request) -> bool:
        return request.user.has_perm(services.HIDE_PERMISSION)

    @admin.action(
        description=_("Hide the selected books from all children (association)"),
        permissions=["hide"],
    )
    def hide_from_children(self, request, queryset):
        return self._change_hidden(request, queryset, services.hide_from_children)

    @admin.action(
        description=_("Show the selected hidden books to children (association)"),
        permissions=["hide"],
    )
    def show_to_children(self, request, queryset):
        return self._change_hidden(request, queryset, services.show_to_children)

    def _change_hidden(self, request, queryset, service):
        """Ask for a reason on an intermediate page, then call `service` for each book."""
        reason = request.POST.get("reason", "").strip()
        if "apply" in request.POST and reason:
            count = sum(service(book, request.user, reason) for book in queryset)
            self.message_user(
                request,
                ngettext("%(count)d book changed.", "%(count)d books changed.", count)
                % {"count": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Why?"),
            "books": queryset,
            "action": request.POST.get("action", ""),
            "reason_missing": "apply" in request.POST,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/catalogue/book/hide_reason.html", context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        upload = form.cleaned_data.get("new_cover")
        if upload:
            importing.replace_cover(obj, form.cover_bytes, request.user)

    def get_urls(self):
        import_view = self.admin_site.admin_view(self.import_epub_view)
        return [path("import/", import_view, name="catalogue_book_import")] + super().get_urls()

    def import_epub_view(self, request):
        """Import one EPUB through the same safe import as `import_books`."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = EpubUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            result = form.enqueue_import(request.user)
            outcome = result.return_value if result.status == TaskResultStatus.SUCCESSFUL else None
            if result.status == TaskResultStatus.FAILED:
                form.add_error("epub", _("The import failed. Try again, or ask the administrator."))
            elif outcome is None:  # queued: the worker imports it
                text = _("The EPUB is queued for import; its progress is in the job list.")
                self.message_user(request, text, messages.INFO)
                return redirect("admin:catalogue_book_changelist")
            elif "refused" in outcome:
                form.add_error("epub", outcome["refused"])
            else:
                text = (
                    _("“%(title)s” was imported.")
                    if outcome["created"]
                    else _("“%(title)s” was updated.")
                )
                self.message_user(request, text % {"title": outcome["title"]}, messages.SUCCESS)
                return redirect("admin:catalogue_book_change", outcome["book"])
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "opts": self.model._meta,
            "title": _("Import an EPUB"),
        }
        return TemplateResponse(request, "admin/catalogue/book/import.html", context)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.has_change_permission(request):
            actions.pop("withdraw", None)
            actions.pop("restore", None)
        return actions


@admin.register(Contributor)
class ContributorAdmin(NationalCatalogueAdmin):
    search_fields = ["name", "sort_name"]


@admin.register(Theme)
class ThemeAdmin(NationalCatalogueAdmin):
    list_display = ["symbol", "name_sv", "name_en", "slug", "sort_order"]
    prepopulated_fields = {"slug": ["name_sv"]}


class ShelfEntryInline(admin.TabularInline):
    model = ShelfEntry
    extra = 1
    autocomplete_fields = ["book"]
    ordering = ["position"]

    # Municipality librarians have "change" on the catalogue but no "add"; a shelf's books are
    # part of the shelf, so whoever may curate the shelf may add and remove its entries.
    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("catalogue.change_shelf")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("catalogue.change_shelf")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("catalogue.change_shelf")


@admin.register(Shelf)
class ShelfAdmin(AuditedAdmin, MunicipalityScopedAdmin):
    """National shelves for the association's staff; municipality staff keep their own."""

    list_display = ["symbol", "name", "municipality", "is_for_children", "sort_order"]
    list_filter = ["is_for_children", ("municipality", admin.EmptyFieldListFilter)]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ShelfEntryInline]

    def _may_curate(self, request) -> bool:
        return request.user.has_perm("catalogue.change_shelf")

    def has_add_permission(self, request):
        return self._may_curate(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_curate(request)

    def get_readonly_fields(self, request, obj=None):
        return ["municipality"] if is_limited_staff(request.user) else []

    def save_model(self, request, obj, form, change):
        if is_limited_staff(request.user):
            obj.municipality_id = staff_municipality_id(request.user)
        super().save_model(request, obj, form, change)
