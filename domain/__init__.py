"""The CRM itself: value objects and the company's rules R1–R5, free of any framework.

Nothing here imports aiogram, SQLAlchemy or APScheduler; the rules are plain functions over plain
dataclasses and are tested with no database and no bot.
"""

from domain.access import Actor, Role, can_convert_client, can_see, may_act_on
from domain.comments import (
    DEFAULT_COMMENT_POLICY,
    CommentCheck,
    CommentPolicy,
    Reason,
    check_expanded_comment,
    check_expanded_text,
    is_expanded_comment,
)
from domain.deals import (
    DEFAULT_INACTIVITY_MONTHS,
    DEFAULT_PIPELINE,
    DealSnapshot,
    DealState,
    DealStatus,
    ProductLine,
    StageSpec,
    add_months,
    deal_state,
    inactivity_deadline,
    missing_fields,
    open_deal_key,
    total_amount,
)
from domain.due import DueAt
from domain.duplicates import PAIRS, ContactIdentity, is_duplicate, match_keys, matching_fields
from domain.errors import DomainError, ValidationError
from domain.interactions import (
    Interaction,
    InteractionKind,
    Outcome,
    is_qualifying,
    last_qualifying_at,
    outcomes_for,
    qualifies,
    reaches_client,
)
from domain.leads import Decision, Lead, LeadStatus, can_convert, can_reject
from domain.money import Money
from domain.values import BirthDate, Email, FullName, MobilePhone, name_key

__all__ = [
    "DEFAULT_COMMENT_POLICY",
    "DEFAULT_INACTIVITY_MONTHS",
    "DEFAULT_PIPELINE",
    "PAIRS",
    "Actor",
    "BirthDate",
    "CommentCheck",
    "CommentPolicy",
    "ContactIdentity",
    "DealSnapshot",
    "DealState",
    "DealStatus",
    "Decision",
    "DomainError",
    "DueAt",
    "Email",
    "FullName",
    "Interaction",
    "InteractionKind",
    "Lead",
    "LeadStatus",
    "MobilePhone",
    "Money",
    "Outcome",
    "ProductLine",
    "Reason",
    "Role",
    "StageSpec",
    "ValidationError",
    "add_months",
    "can_convert",
    "can_convert_client",
    "can_reject",
    "can_see",
    "check_expanded_comment",
    "check_expanded_text",
    "deal_state",
    "inactivity_deadline",
    "is_duplicate",
    "is_expanded_comment",
    "is_qualifying",
    "last_qualifying_at",
    "match_keys",
    "matching_fields",
    "may_act_on",
    "missing_fields",
    "name_key",
    "open_deal_key",
    "outcomes_for",
    "qualifies",
    "reaches_client",
    "total_amount",
]
