## Leads: /new_lead, the lead card, /leads


lead-use-buttons = Choose an option with a button under the message above, or press «✖️ Cancel».

lead-text-expected = Please send your answer as plain text.

lead-option = { $name }

lead-ask-contact =
    <b>New lead.</b> Which contact is it for?
    Find a contact by name or phone, pick a recent one, or create a new one.

lead-btn-find = 🔎 Find

lead-btn-recent = 🕘 Recent

lead-btn-new-contact = ➕ New contact

lead-ask-search = Type part of the name or phone. For example: <i>Ivanov</i> or <i>912 345</i>.

lead-search-too-short = The query is too short: at least 2 characters. For example: <i>Ivanov</i> or <i>912 345</i>.

lead-search-none =
    Nobody among your contacts matches «{ $query }».
    Try another way, e.g. the surname only or the last digits of the phone, or create a new contact.

lead-search-found = Here is who I found. Choose a contact:

lead-contact-option = { $name }, { $phone }

lead-recent-none = No recent contacts yet. Find a contact or create a new one.

lead-recent-found = Recent contacts. Choose one:


lead-ask-source =
    Contact: <b>{ $contact }</b>.
    Where did the lead come from? Choose a source, e.g. «Website».

lead-ask-group = Which product group is the client interested in? Choose one, or press «Skip» if it is not clear yet.

lead-group-none = not set

lead-ask-description =
    Describe the client's request: what they need, volume, timing — { $min } to { $max } characters.
    For example: <i>Needs 3 barcode scanners for the warehouse, launch in March</i>.

lead-description-too-short =
    Too short: { $min } to { $max } characters are needed, now { $length }.
    For example: <i>Needs 3 barcode scanners for the warehouse, launch in March</i>.

lead-description-too-long = Too long: at most { $max } characters, now { $length }. Shorten the description (minimum { $min }).

lead-ask-responsible = Who will be responsible for the lead? By default, you.

lead-btn-myself = 🙋 Myself

lead-summary =
    <b>Check the lead before saving</b>
    Contact: <b>{ $contact }</b>
    Source: { $source }
    Product group: { $group }
    Request: { $description }
    Responsible: { $responsible }

lead-btn-edit-contact = ✏️ Contact

lead-btn-edit-source = ✏️ Source

lead-btn-edit-group = ✏️ Group

lead-btn-edit-description = ✏️ Request

lead-btn-edit-responsible = ✏️ Responsible

lead-save-failed = Could not save: the contact, source or responsible person is no longer available. Change the field and save again.

lead-saved = ✅ Lead created.

lead-assigned-notice = { $by } made you responsible for lead #{ $id }: { $contact }.

lead-btn-open = Open lead

lead-card =
    <b>Lead #{ $id }</b> — { $status }
    Contact: <b>{ $contact }</b>, { $phone }
    Source: { $source }
    Product group: { $group }
    Request: { $description }
    Responsible: { $responsible }
    Created: { $created }
    Contacts with the client: { $interactions }; last qualifying: { $last }

lead-card-last = { $kind }, { $at }

lead-card-last-none = none yet

lead-card-reject-reason = Reason for refusal: { $reason }

lead-btn-log = 📞 Log contact

lead-btn-convert = 💼 To deal

lead-btn-task = 🗓 Task
lead-btn-reject = ✖️ Refusal

lead-btn-reassign = 👥 Reassign

lead-ask-reject-reason =
    Why did the client refuse? Write the reason — { $min } to { $max } characters.
    For example: <i>Bought cheaper from a competitor</i>.

lead-reject-reason-invalid =
    The reason for refusal is { $min } to { $max } characters of text.
    For example: <i>Bought cheaper from a competitor</i>.

lead-rejected = The lead is rejected; the reason is saved.

lead-ask-reassign = Who should get lead #{ $id }?

lead-reassign-nobody = Nobody to hand it to: there are no other active people in the team.

lead-reassigned = Lead handed over. New responsible: { $name }.

lead-list-title = <b>Leads</b>, page { $page }. Open ones first.

lead-list-empty = No leads yet. Create one: /new_lead

lead-list-button = #{ $id } { $name } — { $status }
lead-full-description = Description of lead #{ $id }
