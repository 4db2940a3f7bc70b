"""The controlled vocabulary of the records: ranks of bodies and units, kinds of change event and
evidence statuses, each with the key the YAML records use and the ontology term it stands for.

This is the one table of them: the record reader, the transform, the law importer and the pages
import it. What a term is called is the ontology's business: its labels are read from the
ontology (the pages read them from the published graph), never restated here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rank:
    key: str            # as the records write it
    local: str          # the ontology class
    body: bool          # a government body, with an org chart of its own
    level: int          # of the unit hierarchy: units of one level are compared with each other
    attached: bool = False  # a body that a ministry's decree sets up under it (affiliated agency, commission)


@dataclass(frozen=True)
class EventType:
    key: str
    local: str
    renaming: bool = False  # 1→1, the result is the same unit under a new name, rank or remit
    lineage: bool = False   # the duties of the result descend from those of the original


@dataclass(frozen=True)
class Status:
    key: str
    local: str


RANKS = (
    Rank("executive-head", "ExecutiveHead", True, -2),
    Rank("ministry", "Ministry", True, -1),
    Rank("ministry-level-agency", "MinistryLevelAgency", True, -1),
    Rank("agency", "Agency", True, -1),
    Rank("central-body", "CentralBody", True, -1),
    Rank("commission", "Commission", True, 0, attached=True),
    Rank("affiliated-agency", "AffiliatedAgency", True, 0, attached=True),
    Rank("office", "Office", False, 1),
    Rank("headquarters", "Headquarters", False, 1),
    Rank("bureau", "Bureau", False, 2),
    Rank("director-general-post", "DirectorGeneralPost", False, 2),
    Rank("division", "Division", False, 3),
    Rank("officer-division", "OfficerDivision", False, 3),
    Rank("team", "Team", False, 3),
    Rank("agency-department", "AgencyDepartment", False, 2),
)
EVENT_TYPES = (
    EventType("establishment", "Establishment"),
    EventType("abolition", "Abolition"),
    EventType("renaming", "Renaming", renaming=True, lineage=True),
    EventType("merger", "Merger", lineage=True),
    EventType("split", "Split", lineage=True),
    EventType("move", "Move"),
    EventType("duty-transfer", "DutyTransfer", lineage=True),
    EventType("post-conversion", "PostConversion", renaming=True, lineage=True),
    EventType("rank-change", "RankChange", renaming=True, lineage=True),
)
STATUSES = (Status("stated", "Stated"), Status("reported", "Reported"), Status("inferred", "Inferred"))

# The kinds of central body the Government Organization Act names (부ㆍ처ㆍ청, and commissions) are
# designations the body's name ends with; …본부 is a headquarters and …사령부 a command, not a 부,
# and …사무처 a secretariat (of the National Assembly, of a commission), not a 처. Other endings
# (…원, …실, …국) designate no rank.
DESIGNATIONS = (("위원회", "commission"), ("본부", None), ("사령부", None), ("부", "ministry"), ("사무처", None),
                ("처", "ministry-level-agency"), ("청", "agency"))
UNDESIGNATED = "central-body"   # a body whose name designates no rank, and whose rank nothing else states

RANK = {r.key: r for r in RANKS}
EVENT_TYPE = {e.key: e for e in EVENT_TYPES}
STATUS = {s.key: s for s in STATUSES}
BODY_RANKS = frozenset(r.key for r in RANKS if r.body)
ATTACHED_RANKS = frozenset(r.key for r in RANKS if r.attached)
LEVELS = {r.key: r.level for r in RANKS}
RENAMING_LIKE = tuple(e.local for e in EVENT_TYPES if e.renaming)


def designated_rank(name: str) -> str | None:
    """The rank a body's name designates, if any.

    >>> designated_rank("행정안전부"), designated_rank("질병관리본부"), designated_rank("국회도서관")
    ('ministry', None, None)
    >>> designated_rank("해병대사령부"), designated_rank("국회사무처"), designated_rank("법제처")
    (None, None, 'ministry-level-agency')
    """
    return next((rank for ending, rank in DESIGNATIONS if name.endswith(ending)), None)
