"""Fuzz tests (issue 9, Deliver 11): hostile input at every typed step and button, through the dispatcher.

- ``test_form_steps.py``: every typed-text step of every flow gets generated inputs (``inputs.py``);
- ``test_saved_rows.py``: whole forms saved from fuzzed values, then every row re-checked against R2–R5;
- ``test_callbacks.py``: forged ``callback_data`` on real, inline and inaccessible messages.

The seed is fixed (``runner.SEED``); a failure names the seed, the step, the input class and the input's
number and text. Replay one step with, e.g.::

    python -m pytest -q "tests/fuzz/test_form_steps.py::test_fuzz_form_step[contact.phone]"

``FUZZ_SEED=<n>`` explores another sequence; ``FUZZ_INPUTS=<n>`` sets the inputs of every step (the suite's
own counts per step are in ``steps.py``, kept within the CI budget; ``FUZZ_INPUTS=2000`` is the full run).
"""
