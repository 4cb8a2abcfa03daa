## Log a contact with the client: /log

interaction-form-title = Contact record

interaction-ask-subject = <b>Log a contact with the client.</b> On which lead or deal?

interaction-btn-pick = 📋 Choose a lead or a deal

interaction-use-buttons = Choose an option with a button under the message, or press «✖️ Cancel».

interaction-ask-kind = What happened, and how did it end?

interaction-choice-call-reached = 📞 Got through
interaction-choice-call-not-reached = 📞 No answer
interaction-choice-mail-replied = ✉️ Replied
interaction-choice-mail-no-reply = ✉️ No reply
interaction-choice-meeting-held = 🤝 Meeting

interaction-ask-discussed =
    <b>What was discussed?</b> At least 3 words of substance.
    For example: <i>Discussed a delivery of 20 scanners, price and timing matter to the client</i>.

interaction-ask-agreed =
    <b>What was agreed / the next step?</b> Do not repeat the previous answer.
    For example: <i>Sending the proposal by Friday, call on Monday</i>.

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

interaction-btn-next-step = 📌 Next step…

interaction-btn-call-back = 🔁 Call back…

interaction-btn-remind = 📌 Remind me…

interaction-task-call-back = Call back

interaction-task-remind = Follow up

## Saving

interaction-saved-qualifying-lead = ✅ Saved. This is a qualifying contact: it counts for the lead.

interaction-saved-qualifying-deal = ✅ Saved. This is a qualifying contact: the deal's activity period starts again.

interaction-saved-not-qualifying =
    Saved: { $kind } — { $outcome }.
    This is <b>not a qualifying</b> contact: it does not count and does not prolong the deal.

interaction-task-created = 📌 Task for { $due } created.

interaction-btn-open-lead = 📋 Open lead #{ $id }

interaction-btn-open-deal = 💼 Open deal #{ $id }

## Earlier steps of the contact record

interaction-access-denied = Access denied: only the responsible manager, their team lead or an admin may log contacts here. Nothing was changed.

interaction-comment-invalid =
    <b>{ $part }</b>: { $reason }

interaction-text-expected = Please send your answer as plain text.

interaction-btn-my-leads = My open leads

interaction-btn-my-deals = My open deals

interaction-ask-outcome = { $kind }: how did it end?

interaction-ask-due =
    When is the next step? I will create a task with a reminder.
    For example: <i>tomorrow 15:00</i>, <i>fri 11:00</i>, <i>in 3 days</i>, <i>25.12 10:30</i>. Or press «Skip».

interaction-due-invalid =
    { $reason }
    Or press «Skip» if no date is set yet.

interaction-due-current = Now: { $due }. To remove the date, press «Skip».
