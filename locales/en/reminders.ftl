## Reminders and alerts (sent from the notification outbox)

reminder-deal-reminder =
    ⏰ Deal #{ $id } with { $contact } goes inactive { $days ->
        [0] after today
        [one] in { $days } day
       *[other] in { $days } days
    }.
    Last active day: <b>{ $deadline }</b>. Log an interaction with the client to prolong the deal.
reminder-deal-inactive =
    ⚠️ Deal #{ $id } with { $contact } is now inactive: its last active day was { $deadline }.
    Log an interaction with the client to bring it back.
reminder-team-entry = #{ $id }: { $manager } — { $contact }, { $amount }
reminder-team-alert =
    ⚠️ A team deal went inactive:
    { $entry }
reminder-team-digest =
    ⚠️ Team deals that went inactive today ({ $count }):
    { $entries }
reminder-and-more = …and { $count } more
reminder-deal-incorrect =
    ❗ Deal #{ $id } with { $contact } is filled in incorrectly, so it counts as inactive.
    Missing: { $fields }.
reminder-task-about = Client: { $contact }
reminder-task-due =
    📌 Time for a task: <b>{ $title }</b>
    Due: { $due }
    { $about }
reminder-digest-title = ☀️ Good morning! Here is your plan for today.
reminder-digest-overdue =
    <b>Overdue ({ $count }):</b>
    { $entries }
reminder-digest-today =
    <b>Today's tasks ({ $count }):</b>
    { $entries }
reminder-digest-risky =
    <b>Deals about to go inactive ({ $count }):</b>
    { $entries }
reminder-digest-wrong =
    <b>Incorrect deals ({ $count }):</b>
    { $entries }
reminder-digest-task = • { $when } — { $title }
reminder-digest-task-about = • { $when } — { $title } ({ $contact })
reminder-digest-risk = • #{ $id } { $contact }: { $days } d left, until { $deadline }
reminder-digest-incorrect = • #{ $id } { $contact }: missing — { $fields }
reminder-user-unreachable =
    🚫 { $name } has blocked the bot: reminders no longer reach them.
    Please get in touch and ask them to open the chat with the bot again.
reminder-btn-log = 📞 Log interaction
reminder-btn-open-deal = 📂 Open deal
reminder-btn-open-deal-n = 📂 Deal #{ $id }
reminder-btn-lost = ✖️ Mark lost
reminder-btn-task-done = ✅ Done
reminder-btn-open = 📂 Open
reminder-btn-plan = 📅 Day plan
reminder-deal-reassigned-to-you = 👤 Deal #{ $id } with { $contact } is now yours (handed over by { $by }).
reminder-deal-reassigned-away = 👤 Deal #{ $id } with { $contact } now belongs to { $to } (handed over by { $by }).
