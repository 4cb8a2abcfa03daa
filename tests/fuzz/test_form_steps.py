"""Issue 9, Deliver 11: thousands of hostile inputs at every typed-text step, through the real dispatcher.

Each step gets its inputs (``FUZZ_INPUTS`` overrides the count) from a seeded generator (``FUZZ_SEED``):
unicode of all planes, right-to-left and zero-width text, combining marks, 4,096-character texts, markup, SQL,
null bytes, huge numbers, impossible dates, phone- and e-mail-like junk, emoji, whitespace and stop phrases.
No input may crash the bot, get «Что-то пошло не так», a reply Telegram would refuse, or «{???}»; and the
rows left behind must still satisfy R2–R5 (see ``test_saved_rows.py`` for the rows saved from fuzzed forms).
"""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.dialogs import dialog_state
from tests.fuzz.rows import broken_rows, obviously_not_expanded
from tests.fuzz.runner import SEED, Report, fail_on, fuzz_step, step_inputs
from tests.fuzz.steps import STEPS, Step
from tests.harness import Harness

# Coverage of the rules comes from their own tests; tracing every line of 60,000 fuzzed updates only slows
# the suite (pytest-cov pauses for tests with this marker).
pytestmark = pytest.mark.no_cover


@pytest.mark.parametrize("step", STEPS, ids=[s.name for s in STEPS])
async def test_fuzz_form_step(
    harness: Harness,
    sessionmaker: async_sessionmaker[AsyncSession],
    step: Step,
    request: pytest.FixtureRequest,
) -> None:
    user, after_accept = await step.reach(harness, sessionmaker)
    state = await dialog_state(harness.dispatcher.storage, user.telegram_id)
    assert state == step.state, (
        f"could not reach step {step.name}: at {state}, last reply {user.replies()[-1:]}"
    )

    report = Report(SEED)
    await fuzz_step(
        harness,
        report,
        step.name,
        user,
        extra=step.extra,
        after_accept=after_accept,
        must_refuse=obviously_not_expanded if step.r3 else None,
        count=step_inputs(step),
    )
    print(f"\n{report.timing()}")
    # Render failures are reported per input above; the suite-wide guard would repeat them without the input.
    if "no_render_failures" in request.fixturenames:
        request.getfixturevalue("no_render_failures").failures.clear()

    problems = await broken_rows(sessionmaker)
    fail_on(report, problems)
