## Day plan (/today) and the admins' notification queue (/outbox)

today-title = 📅 <b>Plan for { $date }</b>
today-empty =
    Nothing planned for today: no tasks, nothing overdue and no deals at risk. Have a good day! ☀️
    You can add a task with «➕ Task» below or from a deal, lead or client card.
today-overdue-header = ⏰ <b>Overdue ({ $count })</b>
today-today-header = 📌 <b>Today's tasks ({ $count })</b>
today-risk-header = ⚠️ <b>Deals about to go inactive ({ $count })</b>
today-task-line = { $n }. { $when } — { $title }
today-task-line-about = { $n }. { $when } — { $title } ({ $contact })
today-deal-line = { $n }. Deal #{ $id }, { $contact }: { $days } d left, last active day { $deadline }
today-more = …and { $count } more
today-legend = Buttons below: ✅ done, 🕒 reschedule, 📂 open. The number is the line's number.
today-btn-done = ✅ { $n }
today-btn-resched = 🕒 { $n }
today-btn-new-task = ➕ Task
today-btn-open = 📂 { $n }
today-task-done = ✅ Task done
today-task-done-title = ✅ Task “{ $title }” marked as done.
today-task-gone = This task is already done or removed. Nothing was changed.
today-task-already-done = This task is already done. Nothing was changed.
today-ask-due =
    When should the task “{ $title }” be done?
    Type a date and time, for example: <i>tomorrow 10:00</i>, <i>fri 15:00</i>, <i>25.12 10:30</i> or <i>in 2 days</i>.
today-need-text = Please type the date and time as text, for example: tomorrow 10:00.
today-access-denied = Access denied: this is another employee's task. Nothing was changed.
today-use-buttons = Choose with a button under the plan: ✅ done, 🕒 reschedule, 📂 open.
today-rescheduled = 🕒 Task “{ $title }” moved to { $when }.
today-outbox-none = 📮 Every notification was delivered: no failed sends.
today-outbox-title = 📮 Undelivered notifications: <b>{ $count }</b>. The latest:
today-outbox-line = • #{ $id } { $kind } → user { $recipient }, attempts: { $attempts }. { $error }
today-outbox-btn-retry = 🔁 Send again
today-outbox-retried = Put back in the queue: { $count }

## Plan tabs

today-tab = { $label }
today-tab-current = · { $label } ·
today-tab-today = 📌 Today
today-tab-week = 🗓 Week
today-tab-overdue = ⏰ Overdue
today-week-title = 🗓 <b>Week: { $start } – { $end }</b>
today-week-day = <b>{ $weekday }, { $date }</b>
today-week-empty = No tasks in the next 7 days.
today-overdue-title = ⏰ <b>Overdue tasks ({ $count })</b>
today-overdue-empty = No overdue tasks. 👍
