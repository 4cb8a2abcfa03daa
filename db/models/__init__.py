"""Typed SQLAlchemy models. Importing this package registers every table on ``Base.metadata``."""

from db.base import Base
from db.models.crm import (
    DUPLICATE_KEY_COLUMNS,
    AuditEntry,
    Client,
    Contact,
    Deal,
    DealLine,
    Interaction,
    Lead,
    LeadSource,
    Product,
    ProductGroup,
    Stage,
    Task,
)
from db.models.people import FsmRecord, Invite, InviteFailure, Team, User

__all__ = [
    "DUPLICATE_KEY_COLUMNS",
    "AuditEntry",
    "Base",
    "Client",
    "Contact",
    "Deal",
    "DealLine",
    "FsmRecord",
    "Interaction",
    "Invite",
    "InviteFailure",
    "Lead",
    "LeadSource",
    "Product",
    "ProductGroup",
    "Stage",
    "Task",
    "Team",
    "User",
]
