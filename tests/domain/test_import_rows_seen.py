"""R5 within an imported file: a later row duplicates the earliest accepted row that shares a pair's key.

The keys are held packed (``domain.imports.RowsSeen``) so that 100k rows fit in the bot's memory; the verdicts
must be exactly those of a plain dict of the keys, whatever the order, the repeats and the growth of the
index."""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.duplicates import PAIR_NAMES
from domain.imports import Match, RowsSeen


def key(person: int, pair: str) -> str:
    return hashlib.sha256(f"{pair}\x1f{person}".encode()).hexdigest()


class Plain:
    """The rule as written: the first row to hold a key keeps it."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}

    def match(self, keys: dict[str, str], add_as: int | None) -> Match | None:
        for pair in PAIR_NAMES:
            if pair in keys and keys[pair] in self.rows:
                return Match(pair=pair, row_no=self.rows[keys[pair]])
        if add_as is not None:
            for value in keys.values():
                self.rows.setdefault(value, add_as)
        return None


rows = st.lists(
    st.tuples(
        st.dictionaries(st.sampled_from(PAIR_NAMES), st.integers(0, 400), min_size=1),  # pair → person
        st.booleans(),  # whether the row is accepted (keeps its keys)
    ),
    max_size=700,  # over 2,000 keys: the index grows several times
)


@settings(max_examples=60, deadline=None)
@given(rows)
def test_packed_keys_give_exactly_the_plain_verdicts(file: list[tuple[dict[str, int], bool]]) -> None:
    seen, plain = RowsSeen(), Plain()
    for row_no, (people, accepted) in enumerate(file, start=2):
        keys = {pair: key(person, pair) for pair, person in people.items()}
        add_as = row_no if accepted else None
        assert seen.match(keys, add_as=add_as) == plain.match(keys, add_as)


def test_the_earliest_row_is_named_and_any_text_may_be_a_key() -> None:
    seen = RowsSeen()
    first = {pair: key(1, pair) for pair in PAIR_NAMES}
    assert seen.match(first, add_as=2) is None
    assert seen.match(first, add_as=3) == Match(pair=PAIR_NAMES[0], row_no=2)
    later = {PAIR_NAMES[4]: first[PAIR_NAMES[4]], PAIR_NAMES[0]: key(2, PAIR_NAMES[0])}
    assert seen.match(later) == Match(pair=PAIR_NAMES[4], row_no=2)
    seen.add(9, {PAIR_NAMES[1]: "not a digest"})
    assert seen.match({PAIR_NAMES[1]: "not a digest"}) == Match(pair=PAIR_NAMES[1], row_no=9)
    assert seen.match({PAIR_NAMES[1]: "not a digest either"}) is None


def test_a_hundred_thousand_rows_keep_their_keys_in_little_memory() -> None:
    seen = RowsSeen()
    for row_no in range(2, 20_002):
        assert seen.match({pair: key(row_no, pair) for pair in PAIR_NAMES}, add_as=row_no) is None
    assert seen.match({PAIR_NAMES[2]: key(15_000, PAIR_NAMES[2])}) == Match(pair=PAIR_NAMES[2], row_no=15_000)
    held = sum(len(block) for block in seen._blocks) + len(seen._slots) * seen._slots.itemsize
    assert held < 20_000 * 6 * 40  # about 30 bytes a key, where a dict of the key strings takes about 150
