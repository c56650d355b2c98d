"""The editor's desk in the admin: ranked stories with members, summary and score parts; pick, skip, merge, split."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from techissue.curation.models import Alias, AliasProposal, Story, StoryMember
from techissue.curation.triage import SCORE_PARTS
from techissue.permissions import requires_permission

PARTS = ["coverage", "velocity", "outlet", "recency", "novelty", "taste"]


def _desk() -> ModuleType:
    """The desk's actions, imported on first use: they pull in scikit-learn, SciPy and datasketch,
    and the admin is loaded by every command, worker start-ups included."""
    return importlib.import_module("techissue.curation.desk")


class StoryMemberInline(admin.TabularInline):
    model = StoryMember
    extra = 0
    fields = ["article", "pinned"]
    raw_id_fields = ["article"]
    readonly_fields = ["pinned"]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "score", "parts", "languages", "outlet_count", "decision", "last_article_at"]
    list_filter = ["decision", "languages", "locked"]
    search_fields = ["title", "summary"]
    ordering = ["-score"]
    readonly_fields = [
        "score",
        "score_parts",
        "outlet_count",
        "article_count",
        "first_article_at",
        "last_article_at",
        "sent_at",
    ]
    raw_id_fields = ["representative", "merged_into"]
    inlines = [StoryMemberInline]
    actions = ["pick", "skip", "merge"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Story]:
        return super().get_queryset(request).filter(merged_into__isnull=True)

    @admin.display(description=gettext_lazy("score parts"))
    def parts(self, story: Story) -> str:
        return " · ".join(f"{label} {float(story.score_parts.get(key, 0)):.2f}" for key, label in SCORE_PARTS.items())

    @admin.action(description=gettext_lazy("Pick for the next edition"), permissions=["change"])
    def pick(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        for story in queryset:
            _desk().decide(story, Story.Decision.PICKED)
        self.message_user(request, _("%(count)d stories picked.") % {"count": queryset.count()}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Skip"), permissions=["change"])
    def skip(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        for story in queryset:
            _desk().decide(story, Story.Decision.SKIPPED)
        self.message_user(request, _("%(count)d stories skipped.") % {"count": queryset.count()}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Merge into the best-scored one"), permissions=["change"])
    def merge(self, request: HttpRequest, queryset: QuerySet[Story]) -> None:
        stories = list(queryset.order_by("-score", "id"))
        if len(stories) < 2:
            self.message_user(request, _("Choose at least two stories to merge."), messages.WARNING)
            return
        _desk().merge_stories(stories[0], stories[1:])
        self.message_user(request, _("Merged %(count)d stories.") % {"count": len(stories)}, messages.SUCCESS)

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "desk/",
                self.admin_site.admin_view(requires_permission(Story, "view")(self.desk_view)),
                name="curation_story_desk",
            ),
            path(
                "desk/act/",
                self.admin_site.admin_view(require_POST(requires_permission(Story, "change")(self.desk_act))),
                name="curation_story_desk_act",
            ),
        ]
        return own + super().get_urls()

    def desk_view(self, request: HttpRequest) -> HttpResponse:
        """Ranked stories as cards: members, summary, score parts, and the editor's buttons."""
        members = Prefetch("members", queryset=StoryMember.objects.select_related("article", "article__duplicate_of"))
        stories = Story.objects.open_for_edition().prefetch_related(members)
        page = Paginator(stories, 25).get_page(request.GET.get("page"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Editor's desk"),
            "page": page,
            "parts": PARTS,
            "opts": self.model._meta,
            "can_change": self.has_change_permission(request),  # a view-only editor sees no buttons
        }
        return TemplateResponse(request, "admin/curation/desk.html", context)

    def desk_act(self, request: HttpRequest) -> HttpResponse:
        """One POST endpoint for the desk's buttons; every write goes through `services`."""
        action = request.POST.get("action", "")
        back = HttpResponseRedirect(reverse("admin:curation_story_desk") + "?" + request.GET.urlencode())
        if action in {"pick", "skip", "undo"}:
            story = get_object_or_404(Story, id=request.POST.get("story"))
            _desk().decide(story, {"pick": "picked", "skip": "skipped", "undo": ""}[action])
        elif action == "merge":
            ids = request.POST.getlist("merge")
            stories = list(Story.objects.filter(id__in=ids).order_by("-score", "id"))
            if len(stories) < 2:
                messages.warning(request, _("Tick at least two stories to merge."))
                return back
            _desk().merge_stories(stories[0], stories[1:])
            messages.success(request, _("Merged %(count)d stories.") % {"count": len(stories)})
        elif action == "split":
            story = get_object_or_404(Story, id=request.POST.get("story"))
            try:
                _desk().split_story(story, [int(i) for i in request.POST.getlist("articles")])
            except ValueError as error:
                messages.warning(request, str(error))
                return back
            messages.success(request, _("Split the story in two."))
        else:
            messages.error(request, _("Unknown action."))
        return back

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra = {**(extra_context or {}), "desk_url": reverse("admin:curation_story_desk")}
        return super().changelist_view(request, extra)


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ["surface", "key"]
    search_fields = ["surface", "key"]


def _proposals() -> ModuleType:
    return importlib.import_module("techissue.curation.alias_proposals")


@admin.register(AliasProposal)
class AliasProposalAdmin(admin.ModelAdmin):
    """Name pairs learned from cross-language stories; one click accepts a pair into the alias table."""

    list_display = ["hangul", "latin", "likeness", "story", "from_merge", "status", "buttons"]
    list_filter = ["status", "from_merge"]
    search_fields = ["hangul", "latin"]
    readonly_fields = [
        "hangul",
        "latin",
        "key",
        "likeness",
        "story",
        "from_merge",
        "status",
        "created_at",
        "decided_at",
    ]
    actions = ["accept", "reject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=gettext_lazy("decide"))
    def buttons(self, proposal: AliasProposal) -> str:
        if proposal.status:
            return ""
        url = reverse("admin:curation_aliasproposal_decide", args=[proposal.id])
        # Buttons of the changelist's own form (it carries the CSRF token), sent to this pair's URL.
        return format_html(
            '<button type="submit" formaction="{}" name="decision" value="accept">{}</button> '
            '<button type="submit" formaction="{}" name="decision" value="reject">{}</button>',
            url,
            _("Accept"),
            url,
            _("Reject"),
        )

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:proposal_id>/decide/",
                self.admin_site.admin_view(require_POST(self.decide_view)),
                name="curation_aliasproposal_decide",
            )
        ]
        return own + super().get_urls()

    def decide_view(self, request: HttpRequest, proposal_id: int) -> HttpResponse:
        """The one-click accept (or reject) of one proposal."""
        if not self.has_change_permission(request):
            return HttpResponse(status=403)
        proposal = get_object_or_404(AliasProposal, id=proposal_id)
        if request.POST.get("decision") == "accept":
            _proposals().accept_proposal(proposal)
            messages.success(
                request,
                _("%(hangul)s and %(latin)s now mean the same.") % {"hangul": proposal.hangul, "latin": proposal.latin},
            )
        else:
            _proposals().reject_proposal(proposal)
            messages.info(
                request, _("Rejected %(hangul)s ↔ %(latin)s.") % {"hangul": proposal.hangul, "latin": proposal.latin}
            )
        return HttpResponseRedirect(reverse("admin:curation_aliasproposal_changelist"))

    @admin.action(description=gettext_lazy("Accept the chosen name pairs"))
    def accept(self, request: HttpRequest, queryset: QuerySet[AliasProposal]) -> None:
        for proposal in queryset.filter(status=""):
            _proposals().accept_proposal(proposal)
        self.message_user(request, _("Accepted."), messages.SUCCESS)

    @admin.action(description=gettext_lazy("Reject the chosen name pairs"))
    def reject(self, request: HttpRequest, queryset: QuerySet[AliasProposal]) -> None:
        for proposal in queryset.filter(status=""):
            _proposals().reject_proposal(proposal)
        self.message_user(request, _("Rejected."), messages.SUCCESS)
