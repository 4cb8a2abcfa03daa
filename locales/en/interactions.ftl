## Log a contact with the client: /log

interaction-access-denied = Access denied: only the responsible manager, their team lead or an admin may log contacts here. Nothing was changed.

interaction-not-open = This record is closed: contacts are logged on open leads and deals only.

interaction-use-buttons = Choose an option with a button under the message above, or press «✖️ Cancel».

interaction-text-expected = Please send your answer as plain text.

interaction-ask-subject = <b>Log a contact with the client.</b> On what?

interaction-btn-my-leads = My open leads

interaction-btn-my-deals = My open deals

interaction-pick-lead = Choose a lead (page { $page }):

interaction-pick-deal = Choose a deal (page { $page }):

interaction-subject-button = #{ $id } { $name }

interaction-no-open-leads = There are no open leads you may log a contact on. New lead: /new_lead

interaction-no-open-deals = There are no open deals you may log a contact on.

interaction-ask-kind = What was it: a call, correspondence or a meeting?

interaction-ask-outcome = { $kind }: how did it end?

interaction-ask-discussed =
    <b>What was discussed?</b> At least 3 words of substance.
    For example: <i>Discussed a delivery of 20 scanners, price and timing matter to the client</i>.

interaction-ask-agreed =
    <b>What was agreed / the next step?</b> Do not repeat the previous answer.
    For example: <i>Sending the proposal by Friday, call on Monday</i>.

interaction-comment-invalid =
    <b>{ $part }</b>: { $reason }

interaction-ask-due =
    When is the next step? I will create a task with a reminder.
    For example: <i>tomorrow 15:00</i>, <i>fri 11:00</i>, <i>in 3 days</i>, <i>25.12 10:30</i>. Or press «Skip».

interaction-due-invalid =
    { $reason }
    Or press «Skip» if no date is set yet.

interaction-due-current = Now: { $due }. To remove the date, press «Skip».

## Summary before saving

interaction-summary =
    <b>Check the contact record</b>
    { $subject }
    Kind: { $kind }
    Outcome: { $outcome }
    What was discussed: { $discussed }
    What was agreed: { $agreed }
    Next step: { $due }
    { $verdict }
    All correct? Press «💾 Save», or «✏️» next to what needs changing.

interaction-summary-lead = Lead #{ $id }, { $name }

interaction-summary-deal = Deal #{ $id }, { $name }

interaction-value-none = —

interaction-verdict-qualifying-lead = ✅ It will count as a <b>qualifying contact</b> for the lead.

interaction-verdict-qualifying-deal = ✅ It will count as a <b>qualifying contact</b>: the deal's activity period starts again.

interaction-verdict-not-qualifying = ⚠️ This is <b>not a qualifying</b> contact: it will not count and will not prolong the deal.

interaction-summary-use-buttons = Check the record and press a button: «💾 Save», or «✏️» next to what needs changing.

interaction-btn-edit-kind = ✏️ Kind and outcome

interaction-btn-edit-discussed = ✏️ What was discussed

interaction-btn-edit-agreed = ✏️ What was agreed

interaction-btn-edit-due = ✏️ Next step

## Saving

interaction-saved-qualifying-lead = ✅ Saved. This is a qualifying contact: it counts for the lead.

interaction-saved-qualifying-deal = ✅ Saved. This is a qualifying contact: the deal's activity period starts again.

interaction-saved-not-qualifying =
    Saved: { $kind } — { $outcome }.
    This is <b>not a qualifying</b> contact: it does not count and does not prolong the deal.

interaction-task-created = 📌 Task for { $due } created.

