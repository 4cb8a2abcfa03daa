# Reports (/report, «📊 Reports»): the dialog, and each report's text.

report-ask-kind = 📊 <b>Reports</b>. Pick a report.
report-ask-period = 🗓 For which period?
report-ask-first-day = 🗓 Pick the first day of the period.
report-ask-last-day = 🗓 First day: { $first }. Now pick the last one.
report-ask-scope = 👥 Whose work should it show?
report-use-buttons = Pick an option with the buttons below.
report-err-day-future = That day has not come yet. Pick today or an earlier day.
report-err-period-long = The period is too long: { $days } days at most. Pick the days again.
report-name-funnel = 🔻 Funnel
report-name-stuck = 🐢 Where deals get stuck
report-name-managers = 👤 Managers
report-name-discipline = 📏 Discipline
report-name-lost = ❌ Lost reasons
report-name-forecast = 🔮 Forecast
report-period-week = This week
report-period-month = This month
report-period-last_month = Last month
report-period-quarter = This quarter
report-period-custom = 🗓 Pick days
report-scope-company = 🏢 The whole company
report-scope-me = 🙋 My work
report-scope-team = 👥 Team «{ $name }»
report-scope-user = 👤 { $name }
report-btn-excel = 📥 Excel
report-btn-period = 🗓 Another period
report-btn-scope = 👥 Another scope
report-btn-reports = 📊 All reports
report-drill-title = <b>{ $title }</b>
report-drill-empty = Nothing here.
report-heading = <b>{ $name }</b>
    { $scope } · { $first } – { $last }
report-series-deals = Deals
report-col-stage = Stage
report-col-open-deals = Open deals
report-col-amount = Amount, ₽
report-col-share = Share
report-funnel-open = 
    <b>Open deals now</b>
report-funnel-stage = • { $stage }: { $deals } · { $amount }
report-funnel-open-total = Total: { $deals } worth { $amount }
report-funnel-created =
    
    <b>Created in the period</b>
    Leads: { $leads }, made into a deal — { $converted } ({ $converted_share })
    Deals: { $deals }, won — { $won } ({ $won_share })
report-funnel-closed =
    
    <b>Closed in the period</b>
    Won: { $won } worth { $won_amount }
    Lost: { $lost } worth { $lost_amount }
    Win rate: { $rate } · average deal: { $average }
report-funnel-chart = Open deals by stage · { $scope }
report-funnel-conversion =
    
    <b>Stage conversion</b> (deals created in the period)
report-funnel-step = { $first } → { $second }: { $share } ({ $reached } of { $of })
report-col-reached = Reached (created in the period)
report-weekly-title = 📬 <b>The week in review</b> · { $first } – { $last }
report-weekly-footer = More: /report. The weekly report can be switched off in /settings.
