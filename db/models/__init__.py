"""Typed SQLAlchemy models. Importing this package registers every table on ``Base.metadata``."""

from db.base import Base
from db.models.crm import (
    DUPLICATE_KEY_COLUMNS,
    AuditEntry,
    Client,
    Contact,
    Deal,
    DealLine,
    DealStageSpan,
    Interaction,
    Lead,
    LeadSource,
    LostReason,
    Product,
    ProductGroup,
    RefusalReason,
    Stage,
    Task,
)
from db.models.delivery import HandledUpdate
from db.models.imports import ImportJob, ImportRow
from db.models.instances import BotInstance, LeaderLease
from db.models.outbox import OutboxMessage
from db.models.people import FsmRecord, Invite, InviteFailure, RuleRefusal, Team, User
from db.models.registry import BusinessRegion, ClientRoute, Counterparty, Document, Industry

__all__ = [
    "DUPLICATE_KEY_COLUMNS",
    "AuditEntry",
    "Base",
    "BotInstance",
    "BusinessRegion",
    "Client",
    "ClientRoute",
    "Contact",
    "Counterparty",
    "Deal",
    "DealLine",
    "DealStageSpan",
    "Document",
    "FsmRecord",
    "HandledUpdate",
    "ImportJob",
    "ImportRow",
    "Industry",
    "Interaction",
    "Invite",
    "InviteFailure",
    "Lead",
    "LeadSource",
    "LeaderLease",
    "LostReason",
    "OutboxMessage",
    "Product",
    "ProductGroup",
    "RefusalReason",
    "RuleRefusal",
    "Stage",
    "Task",
    "Team",
    "User",
]
