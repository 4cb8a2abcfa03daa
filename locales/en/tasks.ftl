## Tasks on a lead or a deal

task-form-title = New task
task-subject-lead = Lead #{ $id }
task-subject-deal = Deal #{ $id }
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
    The task goes to the responsible manager and reminds them when it is due.
task-btn-edit-title = ✏️ Task
task-btn-edit-due = ✏️ Due time
task-value-none = —
task-use-buttons = Press a button under the message: «💾 Save», «✏️» next to what needs changing, or «✖️ Cancel».
task-added = ✅ Task «{ $title }» is set for { $due }.
task-btn-open-lead = 📋 Open lead #{ $id }
task-btn-open-deal = 💼 Open deal #{ $id }

## Earlier steps of a task

task-text-expected = Answer the question above in text, or press «Cancel».
