## Messages of the domain layer (domain/): input checks and rules R1–R5.
## Every key domain/ emits is here and in locales/ru/domain.ftl.

## Full name (R4a)

err-name-empty = Enter the full name: surname, given name and, if any, patronymic. For example: Ivanov Ivan Ivanovich.
err-name-too-long = The full name is too long: at most { $max_length } characters.
err-name-invalid-chars =
    A full name may contain only letters (Cyrillic or Latin), hyphens and apostrophes.
    For example: Petrova-Vodkina Maria, O'Brien John.
err-name-mixed-alphabets =
    A word of the name mixes Cyrillic and Latin letters. Please type it in one keyboard layout.
err-name-lookalike-alphabet =
    The name is typed in Latin letters that look Cyrillic (for example "Opex Bepa" for "Орех Вера").
    Please type it in the Cyrillic layout.
err-name-incomplete = Surname and given name are required, the patronymic is optional. For example: Ivanov Ivan.
err-name-initials = Please write the given name in full, not initials. For example: Ivanov Ivan, not Ivanov I.

## Phone (R4a, R4b)

err-phone-empty = Enter a mobile phone number, for example +7 912 345-67-89.
err-phone-invalid = This number cannot be read. Enter a mobile number, for example +7 912 345-67-89 or 8 912 345 67 89.
err-phone-country-code = Please add the country code, for example +7 912 345-67-89 or +375 29 123-45-67.
err-phone-not-mobile = This is not a mobile number. A contact's phone must be mobile, for example +7 912 345-67-89.
err-phone-employee = This is an employee's phone. Only the client's own number may go into the client's contact.

## E-mail (R4a, R4b)

err-email-empty = Enter the client's private e-mail, for example ivanov@mail.ru.
err-email-invalid = This e-mail address has a typo. A valid address looks like ivanov@mail.ru.
err-email-company-domain =
    Addresses on { $domain } are the company's own and cannot go into a client's contact.
    Please enter the client's private e-mail, for example ivanov@mail.ru.
err-email-employee =
    This is an employee's address. Your own work or personal e-mail must not go into a client's contact.
    Please enter the client's private e-mail.

## Date of birth (R4a)

err-birth-date-empty = Enter the date of birth, for example 25.03.1985.
err-birth-date-format =
    This date cannot be read. Use 25.03.1985, 1985-03-25 or 25 March 1985,
    with a four-digit year.
err-date-impossible = There is no such date in the calendar. Check the day and month, for example 25.03.1985.
err-birth-date-future = The date of birth cannot be in the future.
err-birth-date-too-young = The contact must be at least { $min_age } years old. Please check the date of birth.
err-birth-date-too-old = An age over { $max_age } looks like a typo in the year. Please check the date of birth.

## Amount (R2f)

err-amount-empty = Enter the amount, for example 150 000 or 150k.
err-amount-format = This amount cannot be read. Use 150000, 150 000, 150k or 1.5 mln.
err-amount-not-positive = The amount must be greater than zero.
err-amount-too-large = The amount is too large. Please check the number of zeros.
err-amount-quantity = The quantity is a whole number from 1 to 10,000. For example: 5 × 90,000.
err-amount-too-many-decimals =
    An amount has at most two decimal places. Separate thousands with a space: 150 000, or write 150k.

## Task due time

err-due-empty = When is it due? For example: tomorrow 15:00, fri 11:00, in 3 days, 25.12 10:30.
err-due-format =
    This due time cannot be read. Use: tomorrow 15:00, fri 11:00, in 3 days,
    in 2 hours, 25.12 10:30 or 25.12.2026 10:30.
err-due-in-past = This time has already passed. Please choose a time in the future, for example tomorrow 10:00.
err-due-too-far =
    This is too far ahead: at most { $years ->
        [one] { $years } year
       *[other] { $years } years
    } from now.
err-time-impossible = There is no such time. Write it as 15:00 or 9:30.

## Expanded comment (R3)

comment-part-discussed = What was discussed
comment-part-agreed = What was agreed / next step
comment-part-text = Comment
err-comment-empty = Please describe in words what was discussed and what was agreed.
err-comment-stop-phrase =
    "{ $phrase }" is not an expanded comment. Please write at least { $min_words ->
        [one] { $min_words } meaningful word
       *[other] { $min_words } meaningful words
    }.
    For example: "Discussed 20 pipes, price matters most to the client".
err-comment-too-short =
    Too short: at least { $min_words ->
        [one] { $min_words } meaningful word is
       *[other] { $min_words } meaningful words are
    } needed, and there are { $words }. A repeated word, numbers without words and keyboard mash such as "aaa" or "qwe" do not count.
    For example: "Discussed 20 pipes, price matters most to the client".
err-comment-no-words =
    There is no meaningful word here: numbers, signs and keyboard mash such as "aaa" or "qwe" are not words. Please write at least { $min_words ->
        [one] { $min_words } meaningful word
       *[other] { $min_words } meaningful words
    } about the conversation.
    For example: "Discussed 20 pipes, price matters most to the client".
err-comment-repeats =
    This repeats what was discussed. Please write what was agreed or what the next step is.
    For example: "Sending the proposal by Friday, call on Monday".

## Interactions (R1d, R1e)

kind-call = Call
kind-correspondence = Correspondence
kind-meeting = Meeting
outcome-reached = Reached the client
outcome-not_reached = Did not reach the client
outcome-replied = The client replied
outcome-no_reply = The client did not reply
outcome-held = The meeting took place
outcome-not_held = The meeting did not take place
err-interaction-outcome-mismatch = This outcome does not fit the chosen kind of interaction.

## Leads (R1)

lead-status-open = Open
lead-status-converted = Converted into a deal
lead-status-rejected = Rejected
err-lead-not-open = This lead is already closed: it was converted into a deal or rejected.
err-lead-no-qualifying-interaction =
    A lead can become a deal only after a real contact with the client: a call that got through,
    correspondence the client replied to, or a meeting that took place —
    with an expanded comment (what was discussed and what was agreed).

## Deals (R2)

stage-identification = Lead identification
stage-qualification = Lead qualification
stage-proposal = Commercial proposal
stage-negotiation = Negotiation
stage-closing = Closing
stage-post_sale = Post-sale service
deal-status-open = In progress
deal-status-won = Won
deal-status-lost = Lost (refusal)
field-product_group = Product group
field-stage = Current stage
field-contact = Contact
field-comment = Expanded comment
field-product_lines = Product and amount

## Roles

role-manager = Manager
role-team_lead = Team lead
role-admin = Admin
