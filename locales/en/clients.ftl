## Clients, counterparties and routes: /clients, the client card, conversion into a counterparty

cmd-clients = Clients

## Input errors (domain/registry.py)

clients-err-inn-empty = Enter the INN: 10 digits for a company or 12 for a sole trader. For example: 7707083893.
clients-err-inn-digits = An INN has digits only (spaces are fine). For example: 7707083893.
clients-err-inn-length =
    An INN has 10 digits (a company) or 12 (a sole trader), this one has { $length }.
    For example: 7707083893 or 500100732259.
clients-err-inn-checksum = This INN fails the check-digit test, probably a typo. Please compare it with the documents.
clients-err-kpp-format =
    A KPP has 9 characters: 4 digits, then 2 digits or capital Latin letters, then 3 digits.
    For example: 773601001.
clients-err-name-length =
    A client's name has { $min } to { $max } characters, this one has { $length }.
    For example: Romashka LLC.
clients-err-legal-name-length =
    A legal name has { $min } to { $max } characters, this one has { $length }.
    For example: Romashka LLC.
clients-err-comment-length = A comment has { $min } to { $max } characters, this one has { $length }. Shorten it or press "Skip".
clients-err-reason-length =
    A reason has { $min } to { $max } characters, this one has { $length }.
    For example: No signed contract.

## Directory values

clients-status-potential = potential
clients-status-active = active
clients-status-lost = lost

clients-kind-supplier = Supplier
clients-kind-partner = Partner
clients-kind-customer = Customer

clients-value-none = not set

clients-option = { $name }

## Common answers


clients-use-buttons = Choose an option with a button above, or press "✖️ Cancel".



## The /clients list

clients-list-title = <b>Clients</b>: { $total } in all, page { $page } of { $pages }:

clients-list-item = { $n }. { $name } — { $status }

clients-list-button = { $n }. { $name }

clients-list-empty = No clients yet. Create the first one with "➕ New client".

clients-btn-new = ➕ New client

## New client

clients-ask-name =
    <b>New client.</b> What is the client called? 2 to 200 characters.
    For example: <i>Romashka LLC</i> or <i>Sklad-Service</i>.

clients-ask-industry = The client's industry? Choose a button or type part of its name, for example "Retail".

clients-industry-empty = The industry directory has no active values. Press "Skip": the industry can be set later.

clients-ask-region = The client's business region? Choose a button or type part of its name, for example "Central".

clients-region-empty = The business region directory has no active values. Press "Skip".

clients-value-deactivated = This directory value was switched off while you were filling in the form. Please choose another.

clients-ask-contacts =
    Contact persons of "{ $name }": { $contacts }.
    Add a contact from the database (search by name or phone) or create a new one. When done, press "✅ Done".

clients-contacts-none = nobody yet

clients-ask-attach =
    A new contact person for "{ $name }".
    Find a contact by name or phone, or create a new one.

clients-btn-find-contact = 🔎 Add a contact

clients-btn-new-contact = ➕ New contact

clients-ask-search = Type a part of the contact's name or phone. For example: <i>Ivanov</i> or <i>912 345</i>.

clients-search-too-short = Too short: at least 2 characters. For example: <i>Ivanov</i> or <i>912 345</i>.

clients-search-none =
    Nobody among your contacts matches "{ $query }".
    Try differently, for example the surname only or the last digits of the phone.

clients-search-found = Here is what I found. Choose a contact:

clients-contact-option = { $name }, { $phone }

clients-contact-linked = ✅ Contact person added.

clients-summary =
    <b>Check the client</b>
    Name: { $name }
    Industry: { $industry }
    Business region: { $region }
    Contact persons: { $contacts }
    All correct? Press "💾 Save" or change a field.

clients-summary-pick =
    <b>Check the new client</b>
    Name: { $name }
    Industry: { $industry }
    Business region: { $region }
    Save it, and the contact is linked to this client.

clients-summary-edit =
    <b>Editing the client</b>
    Name: { $name }
    Industry: { $industry }
    Business region: { $region }
    Responsible: { $responsible }
    Change a field and press "💾 Save".
clients-btn-edit-card = ✏️ Edit
clients-edited = ✅ Changes saved.
clients-edit-unchanged = Nothing changed: the client's details are the same.
clients-value-required = Choose a value with a button: this field is required when a client is edited.

clients-btn-edit-name = ✏️ Name
clients-btn-edit-industry = ✏️ Industry
clients-btn-edit-region = ✏️ Business region
clients-btn-edit-responsible = ✏️ Responsible
clients-ask-responsible = Who will be responsible for the client? Choose with a button.
clients-btn-edit-contacts = ✏️ Contact persons

clients-saved = ✅ Client saved. You are responsible for it.

## The client card

clients-card =
    <b>🏢 { $name }</b>
    Status: { $status }
    Industry: { $industry }
    Business region: { $region }
    Responsible: { $responsible }

clients-card-marked-lost = Marked lost by hand.

clients-card-contacts-title = <b>Contact persons:</b>

clients-card-contact = • { $name }, { $phone }, { $email }

clients-card-contacts-none = No contact persons yet.

clients-card-leads-title = <b>Related leads:</b>

clients-card-lead = • Lead #{ $id }: { $contact } — { $status }, responsible { $responsible }

clients-card-leads-none = No related leads.

clients-card-counterparty = <b>Counterparty:</b> { $legal_name }, INN { $inn }, KPP { $kpp }, { $kind }

clients-card-route = <b>Route:</b> waiting for { $approver }'s decision.

clients-btn-open = 🏢 Open the client
clients-btn-add-contact = 👤 Add a contact person
clients-btn-convert = 🏢 To counterparties
clients-btn-route = 📨 Send along a route
clients-btn-mark-lost = Mark lost
clients-btn-unmark-lost = Remove the mark
clients-btn-withdraw = ↩️ Withdraw the route

clients-marked-lost = The client is marked lost.

clients-unmarked-lost = The "lost" mark is removed.

## Conversion into a counterparty


clients-route-not-needed = You have the permission to convert: turn the client into a counterparty yourself with "🏢 To counterparties".


clients-ask-legal-name =
    <b>A counterparty from the client "{ $name }".</b> The full legal name? 2 to 300 characters.
    For example: <i>Romashka LLC</i>. Or keep the client's name with the button below.

clients-btn-keep-name = Keep "{ $name }"

clients-ask-inn = The counterparty's INN: 10 digits for a company or 12 for a sole trader. For example: <i>7707083893</i>.

clients-ask-kpp = The KPP, 9 characters, for example <i>773601001</i>. Sole traders have none: press "Skip".

clients-ask-kind = What kind of counterparty? Choose a button or type it, for example "Customer".

clients-conv-summary =
    <b>Check the counterparty</b>
    Client: { $client }
    Legal name: { $legal_name }
    INN: { $inn }
    KPP: { $kpp }
    Kind: { $kind }

clients-route-summary =
    Approver: { $approver }
    Comment: { $comment }

clients-btn-create-counterparty = ✅ Create the counterparty
clients-btn-send-route = 📨 Send for approval
clients-btn-edit-legal-name = ✏️ Legal name
clients-btn-edit-inn = ✏️ INN
clients-btn-edit-kpp = ✏️ KPP
clients-btn-edit-kind = ✏️ Kind
clients-btn-edit-approver = ✏️ Approver
clients-btn-edit-comment = ✏️ Comment

clients-inn-taken = A counterparty with this INN already exists: { $legal_name } (INN { $inn }). Please check the INN.

clients-converted = ✅ Counterparty created: { $legal_name }, INN { $inn }. The client's contacts, leads and deals stay where they are.

## Routes

clients-ask-approver = Who should approve? Choose someone with the permission to convert clients, or type part of their name.

clients-no-approvers = Nobody has the permission to convert clients. Please ask an admin.

clients-approver-invalid = This person cannot approve the conversion (no permission, or it is you). Choose someone else.

clients-ask-comment =
    A comment for the approver, optional, up to 1000 characters.
    For example: <i>The client is ready to sign the supply contract by Friday</i>. Or press "Skip".

clients-route-sent = 📨 Sent for approval: { $approver } will get the card of "{ $client }". Until they decide, you can withdraw the route on the client's card.


clients-route-request =
    📨 <b>Route: convert a client into a counterparty</b>
    Sent by: { $requester }

    { $card }

    <b>Counterparty</b>
    Legal name: { $legal_name }
    INN: { $inn }
    KPP: { $kpp }
    Kind: { $kind }
    Comment: { $comment }

clients-btn-approve = ✅ Approve
clients-btn-reject = ✖️ Reject
clients-btn-show-route = 📨 { $client }

clients-route-decided = This route is already decided, withdrawn, or not addressed to you. Nothing was changed.

clients-route-approved-you = ✅ Route approved: the client "{ $client }" is now the counterparty "{ $legal_name }".

clients-route-approved-requester = ✅ { $approver } approved the route: the client "{ $client }" is now the counterparty "{ $legal_name }" (INN { $inn }).

clients-ask-reject-reason =
    Why do you reject it? 3 to 500 characters; { $requester } will get the reason.
    For example: <i>No signed contract</i>.

clients-route-rejected-you = Route rejected; { $requester } will get the reason.

clients-route-rejected-requester = ✖️ { $approver } rejected the route for "{ $client }". Reason: { $reason }

clients-route-withdrawn = ↩️ Route withdrawn.

clients-route-withdrawn-approver = ↩️ { $requester } withdrew the route for "{ $client }". No decision is needed any more.

## For /today

clients-today-routes-title = <b>📨 Routes waiting for your approval: { $count }</b>

clients-today-route = • { $client } — from { $requester }, { $date }

## Form titles (the "Leave without saving?" question)

clients-form-title = New client
clients-conv-form-title = Conversion into a counterparty
clients-reject-form-title = Rejecting a route

clients-choice-none = Nothing matches "{ $query }". Choose with a button or type it differently.

## Refusals (alerts)

clients-convert-denied = Only someone with the permission to convert can turn clients into counterparties. Send the client along a route instead. Nothing was changed.
clients-refused-has-counterparty = This client already has a counterparty. Nothing was changed.
clients-refused-route-pending = This client already has a route waiting for a decision. Wait for it or withdraw it. Nothing was changed.
clients-refused-inn-taken = A counterparty with this INN already exists. Nothing was changed.

clients-refused-party-deal = Not possible: the client would have two open deals in one product group. Nothing was changed.
clients-refused-party-deals =
    Not possible: the client would have two open deals in one product group — { $deals }. A contact's deals move to the client, and a client may have only one open deal in a group.
    Close one of these deals and try again. Nothing was changed.

## The counterparty card

clients-btn-party = 🏢 Counterparty card
clients-btn-party-client = 🏢 Client "{ $name }"
clients-party-card =
    🏢 <b>Counterparty { $legal_name }</b>
    INN: { $inn }
    KPP: { $kpp }
    Kind: { $kind }
    Client: { $client }

## Other answers

clients-text-expected = Please answer with plain text.

clients-form-lost = The client form was not found. Please start again from /clients.

clients-already-counterparty = This client already has a counterparty: { $legal_name }. Nothing was changed.

clients-route-pending-exists = This client already has a route waiting for a decision ({ $approver }). Wait for the decision or withdraw it. Nothing was changed.
