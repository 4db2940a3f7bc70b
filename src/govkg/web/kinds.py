"""Which kind of thing a resource is, as the pages name it: the most specific govkg class it has."""

from __future__ import annotations

from .model import Model

# Classes that decide which page a resource gets, most specific first.
UNIT, EVENT, DUTY, SOURCE = "Organization", "ChangeEvent", "Duty", ("Law", "LawVersion", "Provision", "NewsArticle", "WebSource")
KINDS = ("Ministry", "MinistryLevelAgency", "Agency", "Commission", "AffiliatedAgency", "Office", "Headquarters",
         "Bureau", "DirectorGeneralPost", "Division", "OfficerDivision", "Team", "AgencyDepartment")
RENAMING_LIKE = ("Renaming", "RankChange", "PostConversion")


def kind(model: Model, iri: str) -> str | None:
    classes = model.types.get(f"<{iri}>", set())
    for local in (*KINDS, *RENAMING_LIKE, "Establishment", "Abolition", "Merger", "Split", "Move", "DutyTransfer",
                  UNIT, EVENT, DUTY, *SOURCE, "Snapshot", "Programme", "Responsibility", "ReportedGrouping"):
        if model.iris.term(local) in classes:
            return local
    return None


def kind_label(model: Model, iri: str) -> str:
    local = kind(model, iri)
    return (model.label(model.iris.term(local), "en") or local) if local else ""
