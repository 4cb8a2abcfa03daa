## Tasks: on a lead, deal or client, or personal

task-form-title = New task
task-subject-lead = Lead #{ $id }
task-subject-deal = Deal #{ $id }
task-subject-client = Client #{ $id }
task-subject-self = Personal task
task-ask-title =
    🗓 <b>{ $subject }: what needs to be done?</b> Write the task.
    For example: «Call and check the budget for the scanners».
task-title-invalid = A task is { $min } to { $max } characters long. For example: «Call and check the budget for the scanners».
task-ask-due = 🗓 <b>{ $subject }</b>: when? Choose the task's due time.
task-btn-pick-due = 🗓 Choose the due time
task-summary =
    <b>Check the task</b>
    { $subject }
    Task: { $title }
    Due: { $due }
    For: { $assignee }
    The task reminds of itself when it is due.
task-btn-edit-title = ✏️ Task
task-btn-edit-due = ✏️ Due time
task-btn-edit-assignee = ✏️ For
task-assignee-me = you
task-ask-assignee = 👤 <b>Who is the task for?</b> Choose a team member.
task-value-none = —
task-use-buttons = Press a button under the message: «💾 Save», «✏️» next to what needs changing, or «✖️ Cancel».
task-added = ✅ Task «{ $title }» is set for { $due }.
task-btn-open-lead = 📋 Open lead #{ $id }
task-btn-open-deal = 💼 Open deal #{ $id }
task-btn-open-client = 👥 Open client #{ $id }
task-btn-open-self = 📅 Open the plan
task-assigned-notice = 🗓 { $by } set you a task «{ $title }», due { $due }.
task-btn-open-plan = 📅 Open the plan

## Earlier steps of a task

task-text-expected = Answer the question above in text, or press «Cancel».
