## History and documents on cards (contact, client, counterparty, lead, deal)

records-btn-history = 🕘 History
records-btn-documents = 📎 Documents ({ $count })
records-btn-attach = 📎 Attach
records-btn-to-card = ↩️ Back to the card
records-page = Page { $page } of { $pages }

## How a card is named in messages

records-card-contact = contact { $name }
records-card-client = client «{ $name }»
records-card-counterparty = counterparty «{ $name }»
records-card-lead = lead #{ $name }
records-card-deal = deal #{ $name }

## History

records-history-title-contact = 🕘 <b>History of contact { $name }</b>
records-history-title-client = 🕘 <b>History of client «{ $name }»</b>
records-history-title-counterparty = 🕘 <b>History of counterparty «{ $name }»</b>
records-history-title-lead = 🕘 <b>History of lead #{ $name }</b>
records-history-title-deal = 🕘 <b>History of deal #{ $name }</b>
records-history-empty = No entries yet.
records-history-entry =
    <b>{ $at }</b> · { $who }
    { $action }
records-history-change = • { $field }: { $before } → { $after }
records-history-value = • { $field }: { $value }
records-history-more = • …and more changes: { $count }
records-author-system = System
records-history-entry-on =
    <b>{ $at }</b> · { $who } · { $subject }
    { $action }

## Contacts with the client in the history (R1d, R1e, R3)

records-interaction = { $kind } • { $outcome } • { $verdict }
records-kind-call = 📞 Call
records-kind-correspondence = ✉️ Correspondence
records-kind-meeting = 📍 Meeting
records-outcome-reached = Reached
records-outcome-not_reached = Not reached
records-outcome-replied = The client replied
records-outcome-no_reply = No reply
records-outcome-held = The meeting took place
records-outcome-not_held = The meeting did not take place
records-verdict-qualifying = ✅ Qualifying
records-verdict-not-qualifying = ❌ Not qualifying: { $why }
records-why-not_reached = there was no conversation with the client
records-why-no_reply = the client did not reply, and without a reply it is not correspondence
records-why-not_held = there was no meeting
records-why-comment = the comment is not expanded ({ $reasons })
records-why-part = { $part }: { $reason }
records-part-discussed = «what was discussed»
records-part-agreed = «what was agreed»
records-why-err-comment-empty = empty
records-why-err-comment-stop-phrase = only «{ $phrase }»
records-why-err-comment-too-short = too few meaningful words ({ $words } of { $min_words })
records-why-err-comment-no-words = no meaningful word at all
records-why-err-comment-repeats = repeats what was discussed
records-why-other = unknown kind or outcome of the contact
records-why-at-save = not counted when it was saved
records-discussed = 💬 Discussed: { $text }
records-agreed = 🤝 Agreed: { $text }
records-next-step = 📌 Next step: «{ $title }», { $due }

records-action-created = 🆕 Record created
records-action-created-contact = 🆕 Contact created
records-action-created-client = 🆕 Client created
records-action-created-counterparty = 🆕 Counterparty created
records-action-created-lead = 🆕 Lead created
records-action-created-deal = 🆕 Deal created
records-action-edited = ✏️ Details changed
records-action-stage_changed = 🔀 Stage changed
records-action-line_added = ➕ Product added
records-action-task_added = 🗓 Task set
records-action-task_done = ✅ Task done
records-action-task_rescheduled = 🕑 Task rescheduled
records-action-won = 🏆 Deal won
records-action-lost = ✖️ Deal lost
records-action-rejected = ✖️ Lead rejected
records-action-converted = 🔁 Converted
records-action-converted-lead = 💼 Lead converted into a deal
records-action-converted-client = 🏢 Client converted into a counterparty
records-action-reassigned = 👥 Responsible changed
records-action-interaction = 📞 Contact with the client
records-action-route_requested = 📨 Route: sent for approval
records-action-route_approved = ✅ Route: approved
records-action-route_rejected = ✖️ Route: rejected
records-action-route_withdrawn = ↩️ Route: withdrawn
records-action-document_attached = 📎 File attached
records-action-unknown = ⚙️ Action «{ $code }»

## Field names in the history

records-field-full_name = Full name
records-field-phone = Phone
records-field-birth_date = Date of birth
records-field-email = E-mail
records-field-position = Position
records-field-client_id = Client
records-field-contact_id = Contact
records-field-contact_ids = Contact persons
records-field-responsible_id = Responsible
records-field-source_id = Source
records-field-product_group_id = Product group
records-field-status = Status
records-field-reason = Reason
records-field-reject_reason = About the reason
records-field-lost_reason = About the reason
records-field-name = Name
records-field-industry_id = Industry
records-field-region_id = Business region
records-field-marked_lost = Marked lost
records-field-legal_name = Legal name
records-field-inn = INN
records-field-kpp = KPP
records-field-kind = Kind
records-field-stage_id = Stage
records-field-stage = Stage
records-field-lead_id = Lead
records-field-deal_id = Deal
records-field-lines = Products
records-field-product = Product
records-field-amount_minor = Amount
records-field-task_id = Task
records-field-due_at = Due
records-field-done_at = Done
records-field-outcome = Outcome
records-field-qualifying = Qualifying
records-field-counterparty_id = Counterparty
records-field-approver_id = Approver
records-field-requester_id = Requested by
records-field-comment = Comment
records-field-description = Request
records-field-media = Type
records-field-file_name = File
records-field-file_size = Size

records-value-none = —
records-value-yes = yes
records-value-no = no
records-value-task = «{ $title }»
records-status-pending = pending
records-status-approved = approved
records-status-rejected = rejected
records-status-withdrawn = withdrawn

## Documents

records-media-document = Document
records-media-photo = Photo
records-media-voice = Voice message
records-size-kb = { $size } KB
records-size-mb = { $size } MB
records-documents-title = 📎 <b>Documents: { $card }</b>
records-documents-empty = No documents yet. Press «📎 Attach» and send a file, a photo or a voice message.
records-document-item = { $n }. { $icon } { $name } · { $size } · { $author } · { $at }
records-btn-document = { $n }. { $icon } { $name }
records-document-caption = 📎 { $name } — { $card }. Attached by { $author }, { $at }
records-ask-file =
    Send a document, a photo or a voice message — it will be attached to: { $card }.
    For example, the file «Offer.pdf» or a photo of the contract. To cancel, press «✖️ Cancel».
records-file-expected =
    I am waiting for a file: a document, a photo or a voice message (for example, «Offer.pdf»).
    Send it or press «✖️ Cancel».
records-use-buttons = You can send a file here — it will be attached to the card — or choose an action with a button below.
records-attached = 📎 File «{ $name }» attached to: { $card }.
records-no-open-card =
    I don't know what to attach this file to. Open a card first — a contact, client, counterparty, lead
    or deal — then send the file, or press «📎 Attach» on the card.
records-attach-denied-act =
    The file cannot be attached: this record belongs to another employee. Files can be attached by the
    responsible manager, their team lead or an admin. Nothing was saved.
records-attach-denied-see = The file cannot be attached: this card is not available to you. Nothing was saved.

## The counterparty card

records-btn-counterparty = 🏢 Counterparty card
records-btn-counterparty-client = 🏢 Client «{ $name }»
records-counterparty-card =
    🏢 <b>Counterparty { $legal_name }</b>
    INN: { $inn }
    KPP: { $kpp }
    Kind: { $kind }
    Client: { $client }
