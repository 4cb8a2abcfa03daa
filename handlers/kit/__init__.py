"""The conversation toolkit every feature dialog is built from (aiogram-dialog 2).

- :mod:`handlers.kit.text` — window and button texts from the Fluent catalogs (``Tr``, ``TrPlain``).
- :mod:`handlers.kit.inputs` — a typed step: ``TextInput`` whose ``type_factory`` is a domain ``parse``; on
  a refusal the window re-asks with the reason (``domain_input``, ``input_error``).
- :mod:`handlers.kit.nav` — back / skip / cancel rows.
- :mod:`handlers.kit.summary` — a short form's summary (change a field, save) and the «saved» message.
- :mod:`handlers.kit.calendar` — a calendar with month and weekday names in the user's language.
- :mod:`handlers.kit.context` — the middleware data a getter or an action needs (session, user, i18n).
"""
