## Tasks from a lead or deal card

task-ask-title =
    🗓 What needs to be done? Write the task.
    For example: «Call and check the budget for the scanners».
task-title-invalid = A task is { $min } to { $max } characters long. For example: «Call and check the budget for the scanners».
task-ask-due = When? For example: tomorrow 15:00, fri 11:00, in 3 days or 25.12 10:30.
task-added = Task «{ $title }» is set for { $due }.
task-lead-closed = The lead is already closed (converted or rejected) — a task cannot be added to it.
task-text-expected = Answer the question above in text, or press «Cancel».
