"""Actions on learned aliases: propose the name pairs of confident cross-language stories, accept, reject."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from techissue.curation.alias_learning import confident, name_pairs
from techissue.curation.document import Doc
from techissue.curation.models import Alias, AliasProposal, Story


def known_surfaces() -> dict[str, str]:
    """The alias table the curate stage uses (the seed table with the editor's rows on top)."""
    from techissue.curation.aliases import DEFAULT_ALIASES

    table = dict(DEFAULT_ALIASES)
    table.update(dict(Alias.objects.values_list("surface", "key")))
    return table


def propose_from_docs(
    story: Story, docs: Sequence[Doc], known: dict[str, str], from_merge: bool = False
) -> list[AliasProposal]:
    """Store a proposal for each new name pair of the story; pairs proposed before are left as they are."""
    created = []
    for pair in name_pairs(docs, known):
        proposal, made = AliasProposal.objects.get_or_create(
            hangul=pair.hangul,
            latin=pair.latin,
            defaults={"key": pair.key, "likeness": pair.likeness, "story": story, "from_merge": from_merge},
        )
        if made:
            created.append(proposal)
    return created


def propose_from_stories(stories: Sequence[tuple[Story, list[Doc], dict[int, int]]]) -> int:
    """Proposals from the stories that formed across languages with confidence; returns how many are new."""
    known = known_surfaces()
    count = 0
    for story, docs, copies in stories:
        if confident(docs, copies):
            count += len(propose_from_docs(story, docs, known))
    return count


def propose_from_merge(story: Story) -> list[AliasProposal]:
    """The editor merged stories: the names the merged story holds in both scripts are worth asking about."""
    from techissue.curation.articles import story_docs

    return propose_from_docs(story, story_docs(story), known_surfaces(), from_merge=True)


def accept_proposal(proposal: AliasProposal, now: datetime | None = None) -> AliasProposal:
    """Both surfaces become aliases of one key; the next curate run uses them."""
    with transaction.atomic():
        key = Alias.objects.filter(surface__iexact=proposal.latin).values_list("key", flat=True).first()
        key = key or proposal.key
        for surface in (proposal.hangul, proposal.latin):
            Alias.objects.get_or_create(surface=surface, defaults={"key": key})
        proposal.status = AliasProposal.Status.ACCEPTED
        proposal.decided_at = now or timezone.now()
        proposal.save(update_fields=["status", "decided_at"])
    return proposal


def reject_proposal(proposal: AliasProposal, now: datetime | None = None) -> AliasProposal:
    """Not the same name: never proposed again."""
    proposal.status = AliasProposal.Status.REJECTED
    proposal.decided_at = now or timezone.now()
    proposal.save(update_fields=["status", "decided_at"])
    return proposal
