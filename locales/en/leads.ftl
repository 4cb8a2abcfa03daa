## Leads: /new_lead, the lead card, /leads

lead-form-title = New lead
lead-refusal-title = Lead refusal

lead-use-buttons = Choose an option with a button under the message, or press «✖️ Cancel».

lead-option = { $name }

## Contact

lead-ask-contact =
    <b>New lead.</b> Which contact is it for?
    Choose with a button, type part of the name or phone to search, or create a new contact.

lead-btn-new-contact = ➕ New contact

lead-btn-recent = 🕘 Recent

lead-search-too-short = The query is too short: at least 2 characters. For example: <i>Ivanov</i> or <i>912 345</i>.

lead-search-none =
    Nobody among your contacts matches «{ $query }».
    Try another way, e.g. the surname only or the last digits of the phone, or create a new contact.

lead-search-found = Found for «{ $query }» — choose a contact:

lead-contact-option = { $name }, { $phone }

lead-recent-none = No recent contacts yet. Type the contact's name or phone, or create a new one.

lead-recent-found = Recent contacts:

## Source, group, responsible

lead-ask-source =
    Contact: <b>{ $contact }</b>.
    Where did the lead come from? Choose a source, e.g. «Website».

lead-ask-group = Which product group is the client interested in? Choose one, or press «Skip» if it is not clear yet.

lead-group-none = not set

lead-ask-responsible = Who will be responsible for the lead? By default, you.

lead-btn-myself = 🙋 Myself

lead-choice-filtered = Showing the matching options.

lead-choice-none = No option matches «{ $query }». Choose with a button below.

lead-btn-show-all = Show all

## Request

lead-ask-description =
    Describe the client's request: what they need, volume, timing — { $min } to { $max } characters.
    For example: <i>Needs 3 barcode scanners for the warehouse, launch in March</i>.

lead-description-too-short =
    Too short: { $min } to { $max } characters are needed, now { $length }.
    For example: <i>Needs 3 barcode scanners for the warehouse, launch in March</i>.

## Check and save

lead-summary =
    <b>Check the lead before saving</b>
    Contact: <b>{ $contact }</b>
    Source: { $source }
    Product group: { $group }
    Request: { $description }
    Responsible: { $responsible }

lead-field-contact = Contact
lead-field-source = Source
lead-field-group = Group
lead-field-description = Request
lead-field-responsible = Responsible

lead-btn-edit = ✏️ { $field }

lead-save-failed = Could not save: the source, group or responsible person is no longer available. Change the field and save again.

lead-saved = ✅ Lead created.

lead-assigned-notice = { $by } made you responsible for lead #{ $id }: { $contact }.

lead-btn-open = Open lead

## Card

lead-card =
    <b>Lead #{ $id }</b> — { $status }
    Contact: <b>{ $contact }</b>, { $phone }
    Source: { $source }
    Product group: { $group }
    Request: { $description }
    Responsible: { $responsible }
    Created: { $created }
    Contacts with the client: { $interactions }

lead-card-qualifying = Last qualifying contact: { $kind }, { $at }

lead-card-qualifying-none = No qualifying contact yet — the lead cannot become a deal without one.

lead-card-reject-reason = Reason for refusal: { $reason }

lead-btn-log = 📞 Log contact

lead-btn-convert = 💼 Deal

lead-btn-task = ✅ Task

lead-btn-reject = ✖️ Refusal

lead-btn-reassign = 👥 Reassign

lead-full-description = Description of lead #{ $id }

lead-ask-reassign = Who should get lead #{ $id }?

lead-reassign-nobody = Nobody to hand it to: there are no other active people in the team.

lead-reassigned = Lead handed over. New responsible: { $name }.

## Refusal

lead-ask-reject-reason = Refusal of lead #{ $id }. Why is the lead refused? Choose the reason.

lead-ask-reject-text =
    Refusal of lead #{ $id }. Reason: <b>{ $reason }</b>.
    If you like, explain it in your own words — { $min } to { $max } characters, for example: <i>Bought cheaper from a competitor</i>. Or press “Skip”.

lead-reject-reason-invalid =
    The explanation is { $min } to { $max } characters of text.
    For example: <i>Bought cheaper from a competitor</i>. Or press “Skip”.

lead-reject-confirm =
    Reject lead #{ $id }? This cannot be undone.
    Reason: { $reason }

lead-btn-reject-confirm = ✖️ Yes, reject the lead

lead-rejected = The lead is rejected; the reason is saved.

## List

lead-list-title = <b>Leads</b>, page { $page }. Open ones first.

lead-list-empty = No leads yet. Create one: /new_lead

lead-list-button = #{ $id } { $name } — { $status }

## Earlier lead screens (while their module remains)

lead-text-expected = Please send your answer as plain text.

lead-btn-find = 🔎 Find

lead-ask-search = Type part of the name or phone. For example: <i>Ivanov</i> or <i>912 345</i>.

lead-card-last-none = none yet

lead-card-last = { $kind }, { $at }

## Editing a saved lead

lead-btn-edit-card = ✏️ Edit
lead-edit-title = ✏️ <b>Editing the lead.</b> Press «✏️» next to a field, then «💾 Save».
lead-edited = ✅ <b>Changes saved.</b>
lead-edit-unchanged = Nothing changed.
lead-edit-closed = This lead is already closed (converted into a deal or rejected) and cannot be changed.
