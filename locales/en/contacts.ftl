## Contacts: /new_contact, /contacts, the contact card, /find search (R4, R5)

## Form steps

contact-ask-name =
    👤 <b>New contact.</b> Enter the full name: surname, given name and, if any, patronymic.
    For example: <i>Ivanov Ivan Ivanovich</i>
contact-ask-phone =
    📱 Enter the contact's mobile phone. For example: <i>+7 912 345-67-89</i> or <i>8 912 345 67 89</i>.
    You can also send a contact card from your phone book: 📎 → Contact.
contact-ask-birth_date =
    🎂 Enter the date of birth. For example: <i>25.03.1985</i>, <i>1985-03-25</i> or <i>25 March 1985</i>.
contact-ask-email =
    ✉️ Enter the contact's private e-mail. For example: <i>ivanov@mail.ru</i>
    Our company's own addresses are not accepted.
contact-ask-position =
    💼 The contact's position, if you know it. For example: <i>Chief engineer</i>
    Or press "Skip".
contact-ask-client =
    🏢 The client (organisation) the contact works for. Type part of its name, for example <i>Romashka</i>, and choose the client with a button.
    Not in the list? Press "➕ New client". Or press "Skip".
contact-client-found = Clients matching "{ $query }" — choose one with a button:
contact-client-none = Nothing found among your clients for "{ $query }". Try other words or press "➕ New client".
contact-btn-client = 🏢 { $name }
contact-btn-new-client = ➕ New client
contact-card-phone-taken = The phone is taken from the contact card, but its name is incomplete.
contact-err-own-card =
    This is your own number. You may not put your own phone into a client's contact.
    Send the client's card or type their number.
contact-err-position = The position is text, 2 to { $max_length } characters. For example: Chief engineer.
contact-err-client = To find a client, type 2 to { $max_length } characters of its name. For example: Romashka.
contact-err-text-expected = Please answer the question below with text.
contact-summary-use-buttons = Check the details and press a button: "💾 Save", or "✏️" next to a field to change it.

## Fields

contact-field-name = Full name
contact-field-phone = Phone
contact-field-birth_date = Date of birth
contact-field-email = E-mail
contact-field-position = Position
contact-field-client = Client
contact-value-none = —
contact-btn-edit = ✏️ { $field }

## Summary and saving

contact-summary =
    <b>Check the contact's details</b>
    Full name: { $name }
    Phone: { $phone }
    Date of birth: { $birth_date }
    E-mail: { $email }
    Position: { $position }
    Client: { $client }
    All correct? Press "💾 Save", or "✏️" next to a field to change it.
contact-saved =
    ✅ <b>Contact saved</b>
    👤 { $name }
    📱 { $phone }
    🎂 { $birth_date }
    ✉️ { $email }
    Position: { $position }
    Client: { $client }
contact-btn-create-lead = 🎯 Create a lead

## Duplicates (R5)

contact-duplicate =
    ⚠️ <b>This contact is already in the CRM</b>: { $fields } match. The new contact was not created.
    👤 { $name }
    📱 { $phone }
    🎂 { $birth_date }
    ✉️ { $email }
    Responsible: { $responsible }
    Create a lead on this contact, or correct the details.
contact-btn-lead-on-existing = 🎯 Create a lead on this contact
contact-btn-fix = ✏️ Correct

## List and card

contact-list-title = 📇 <b>Your contacts</b>: { $total }. Page { $page } of { $pages }.
contact-list-empty = You have no contacts yet. Create the first one: /new_contact
contact-card =
    👤 <b>{ $name }</b>
    📱 { $phone }
    🎂 { $birth_date }
    ✉️ { $email }
    Position: { $position }
    Client: { $client }
    Responsible: { $responsible }
    Leads: { $leads }
    Deals: { $deals }
contact-card-none = none
contact-btn-new-lead = 🎯 New lead
contact-btn-lead = 🎯 Lead #{ $id } · { $status }
contact-btn-deal = 💼 Deal #{ $id } · { $status }

## Search

contact-find-ask = 🔎 What are we looking for? Type part of a name or a phone. For example: <i>Ivanov</i> or <i>912 345</i>.
contact-find-too-short = The query is too short: at least 2 characters. For example: <i>Ivanov</i> or <i>912 345</i>.
contact-find-nothing = Nothing found for "{ $query }". Check the spelling or search by phone.
contact-find-results = 🔎 Contacts found for "{ $query }": { $total }. Page { $page } of { $pages }.
contact-find-btn-lead = 🎯 Lead #{ $id } · { $name }
contact-find-btn-deal = 💼 Deal #{ $id } · { $name }
contact-find-clients = Clients: { $count }
contact-find-btn-client = 🏢 { $name }

## Dialogs

contact-form-title = New contact
contact-saved-title = ✅ <b>Contact saved.</b>
contact-btn-new = 👤 New contact

## Editing a saved contact

contact-btn-edit-card = ✏️ Edit
contact-edit-title = ✏️ <b>Editing the contact.</b> Press «✏️» next to a field, then «💾 Save».
contact-edited = ✅ <b>Changes saved.</b>
contact-edit-unchanged = Nothing changed.
