"""The reports dialog (``/report``, «📊 Отчёты»)."""

from __future__ import annotations

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Column, Group, Row

from handlers.kit.calendar import LocalCalendar
from handlers.kit.inputs import ERROR_LINE
from handlers.kit.nav import cancel_button
from handlers.kit.steps import text_select, use_buttons
from handlers.kit.text import Raw, Tr, TrPlain
from handlers.reports import actions, getters
from handlers.reports.states import Reports


def reports_dialog() -> Dialog:
    return Dialog(
        Window(
            ERROR_LINE,
            Tr("report-ask-kind"),
            Group(text_select("reports", actions.on_kind, "report"), width=2),
            cancel_button(),
            use_buttons("report-use-buttons"),
            getter=getters.kind_getter,
            state=Reports.kind,
        ),
        Window(
            ERROR_LINE,
            Tr("report-ask-period"),
            Group(text_select("periods", actions.on_period, "period"), width=2),
            Row(Button(TrPlain("report-btn-reports"), id="to_kinds", on_click=actions.to_kinds)),
            use_buttons("report-use-buttons"),
            getter=getters.period_getter,
            state=Reports.period,
        ),
        Window(
            ERROR_LINE,
            Tr("report-ask-first-day", when=lambda data, *_: not data["first"]),
            Tr("report-ask-last-day", "first", when="first"),
            LocalCalendar("report_calendar", on_click=actions.on_day),
            Row(Button(TrPlain("btn-back"), id="to_periods", on_click=actions.to_periods)),
            use_buttons("report-use-buttons"),
            getter=getters.custom_getter,
            state=Reports.custom,
        ),
        Window(
            ERROR_LINE,
            Tr("report-ask-scope"),
            Column(text_select("scopes", actions.on_scope, "scope")),
            Row(Button(TrPlain("btn-back"), id="to_periods", on_click=actions.to_periods)),
            use_buttons("report-use-buttons"),
            getter=getters.scope_getter,
            state=Reports.scope,
        ),
        Window(
            ERROR_LINE,
            Raw("text"),
            Column(text_select("links", actions.on_link, "link")),
            Button(TrPlain("report-btn-excel"), id="excel", on_click=actions.on_excel),
            Row(
                Button(TrPlain("report-btn-period"), id="period", on_click=actions.to_periods),
                Button(
                    TrPlain("report-btn-scope"), id="scope", on_click=actions.to_scopes, when="many_scopes"
                ),
            ),
            Button(TrPlain("report-btn-reports"), id="kinds", on_click=actions.to_kinds),
            use_buttons("report-use-buttons"),
            getter=getters.result_getter,
            state=Reports.result,
        ),
        Window(
            ERROR_LINE,
            Tr("report-drill-title", "title"),
            Tr("report-drill-empty", when="empty"),
            Column(text_select("items", actions.on_drill_link, "drill")),
            Row(Button(TrPlain("btn-back"), id="back", on_click=actions.back_to_result)),
            use_buttons("report-use-buttons"),
            getter=getters.drill_getter,
            state=Reports.drill,
        ),
    )
