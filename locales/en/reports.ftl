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
report-series-median = Median
report-series-p90 = 90th percentile
report-col-median-days = Median, days
report-col-p90-days = 90th percentile, days
report-col-stuck-now = Stuck now
report-col-lost-here = Lost here
report-col-deal = Deal #
report-col-contact = Contact
report-col-days-in-stage = Days at stage
report-stuck-empty =
    
    No deals went through the stages in this period; no deals are stuck and none were lost.
report-stuck-stages =
    
    <b>Days at stage</b> (median / 90th percentile), stuck now, lost at the stage in the period
report-stuck-stage = • { $stage }: { $median } / { $p90 } days · stuck: { $stuck } · lost: { $lost }
report-stuck-stage-unknown = Stage unknown
report-stuck-lost-unknown = • Lost with no stage history: { $lost }
report-stuck-total =
    
    Deals stuck now: { $stuck } — longer than the stage's period or, when it has none, than the stage's median.
report-stuck-more = The longest are below; { $more } more are not shown.
report-stuck-deal = #{ $id } { $contact } · { $stage } · { $days } d
report-stuck-chart = Days at stage · { $scope }
report-series-weighted = Weighted by probability
report-series-amount = Full amount
report-col-month = Month
report-col-deals = Deals
report-col-weighted = Weighted, ₽
report-forecast-heading = <b>{ $name }</b>
    { $scope } · as of { $today }, from this month on (the period picked does not change the forecast)
report-forecast-empty =
    
    There are no open deals — nothing to forecast.
report-forecast-months =
    
    <b>Open deals by expected close month</b>
    (deals · amount · weighted by the stage's probability)
report-forecast-month = • { $month }: { $deals } · { $amount } · { $weighted }
report-forecast-overdue = • ⚠️ { $month }: { $deals } · { $amount } · { $weighted }
report-forecast-overdue-label = Date passed
report-forecast-undated-label = No expected date
report-forecast-later = Later
report-forecast-total = Total with a date: { $deals } worth { $amount }, weighted — { $weighted }
report-forecast-undated =
    
    ⚠️ No expected close date: { $deals } worth { $amount }. They are not in the monthly forecast — set the dates on the cards to make it complete.
report-forecast-chart = Forecast by month · { $scope }
report-others = others ({ $count })
report-series-won = Won, thousand ₽
report-series-lost = Lost, thousand ₽
report-series-violations = Violations
report-col-manager = Manager
report-col-interactions = Interactions
report-col-qualifying = Qualifying
report-col-qualifying-share = Qualifying share
report-col-leads-created = Leads created
report-col-leads-converted = Leads made into deals
report-col-leads-refused = Leads rejected
report-col-won = Deals won
report-col-won-amount = Won, ₽
report-col-lost = Deals lost
report-col-lost-amount = Lost, ₽
report-col-open-amount = In progress, ₽
report-col-overdue-tasks = Overdue tasks
report-col-incorrect = Incorrect deals
report-col-inactive = Went inactive
report-col-refused-r3 = Comments refused (R3)
report-col-refused-r5 = Duplicates refused (R5)
report-col-stale-leads = Leads with no interaction over { $days } days
report-col-violations = Violations in all
report-managers-none = There are no managers in this scope.
report-managers-row =
    
    👤 <b>{ $name }</b>
    Interactions: { $interactions }, qualifying — { $qualifying } ({ $qualifying_share })
    Leads: { $leads }, made into a deal — { $converted }, rejected — { $refused }
    Won: { $won } worth { $won_amount } · lost: { $lost } worth { $lost_amount }
    In progress: { $open } worth { $open_amount } · overdue tasks: { $overdue }
report-managers-chart = Won and lost sums, thousand ₽ · { $scope }
report-discipline-row =
    
    👤 <b>{ $name }</b> — violations: { $total }
    Incorrect deals now: { $incorrect } · went inactive: { $inactive }
    Comment not expanded (R3): { $r3 } · duplicate contact (R5): { $r5 }
    Leads with no interaction over { $days } days: { $stale }
report-discipline-link-incorrect = ⚠️ { $name }: incorrect deals ({ $count })
report-discipline-link-inactive = 💤 { $name }: went inactive ({ $count })
report-discipline-link-stale_leads = 🕸 { $name }: leads with no interaction ({ $count })
report-discipline-chart = Violations by manager · { $scope }
report-sheet-stuck-deals = Stuck deals
report-col-reason = Reason
report-lost-no-reason = No reason from the directory
report-lost-empty =
    
    No deals were lost in this period.
report-lost-total =
    
    Lost in the period: { $deals } for { $amount }
report-lost-reasons =
    
    <b>By reason</b>
report-lost-stages =
    
    <b>By stage</b> (where the deal was lost)
report-lost-managers =
    
    <b>By manager</b>
report-lost-row = • { $name }: { $deals } · { $amount } ({ $share })
report-lost-chart = Lost deals by reason · { $scope }
