## Access and joining

access-refused =
    Hello! This is a company's private CRM bot, and you are not connected to it yet.
    Your Telegram ID: <code>{ $user_id }</code>
    Send it to an administrator to get an invitation.
access-deactivated =
    Your access to the CRM bot has been switched off.
    Your Telegram ID: <code>{ $user_id }</code>
    If this is a mistake, contact an administrator.
first-setup-admin-line =
    The bot has no administrator yet. If you are setting it up, put this line into the <code>.env</code> file
    <code>ADMIN_IDS={ $user_id }</code>
    and restart the bot: you become its administrator.
access-refused-no-admin =
    Hello! This is a company's private CRM bot, and you are not connected to it yet.
    Your Telegram ID: <code>{ $user_id }</code>

    { first-setup-admin-line }
    If someone else is setting the bot up, send them your ID.
invite-invalid =
    This invitation link is not valid: it was already used, has expired or was mistyped.
    Ask an administrator for a new one. Your Telegram ID: <code>{ $user_id }</code>
invite-rate-limited = Too many wrong invitation codes. Try again in { $minutes } min.
start-joined =
    Welcome, { $name }!
    You are connected to the CRM bot. Role: <b>{ $role }</b>, team: <b>{ $team }</b>.
    The main menu is at the bottom of the screen. Help: /help
start-first-admin =
    Hello, { $name }! You are the CRM bot's administrator. There are no teams or members yet. Where to start:
    1. /invite — invite your people: pick a role and a team (a new team can be created right there with «➕ New team»), and the bot gives you an invitation link to forward to the person.
    2. /settings → «📚 Directories» — check the products, the pipeline stages, the lost-deal reasons and the lead refusal reasons: managers pick them as buttons.
    The main menu is at the bottom of the screen. Help: /help
start-welcome-back = Welcome back, { $name }! The main menu is at the bottom of the screen.
start-already-member = { $name }, you are already connected to the CRM bot. No invitation needed.
invite-joined-admin = 👋 A new member joined with your invitation: { $name }. Role: <b>{ $role }</b>, team: <b>{ $team }</b>.
admin-only = This command is for administrators only.

## Menu

menu-title = Main menu. Choose an action.
menu-today = 📅 Today's plan
menu-new-contact = 👤 New contact
menu-new-lead = 🎯 New lead
menu-log = 📞 Log a client contact
menu-new-deal = 💼 New deal
menu-leads = 📋 My leads
menu-deals = 📈 My deals
menu-contacts = 📇 My contacts
menu-clients = 🏢 Clients
menu-find = 🔎 Search
menu-report = 📊 Reports
menu-settings = ⚙️ Settings
menu-help = ❓ Help
not-built-yet = “{ $action }” is still being built. We will let you know when it is ready.
unknown-command = There is no such command. Commands: /help, main menu: /menu.
stray-message = I did not understand that. Choose an action in the menu below or type /help.
cancelled = Cancelled. Nothing was saved.
nothing-to-cancel = Nothing to cancel. You are in the main menu.
button-stale = This button is out of date. Open the section again.

## Common buttons

btn-cancel = ✖️ Cancel
btn-back = ◀️ Back
btn-skip = Skip ▶️

## Help

help-text =
    <b>Sales team CRM bot</b>
    /today — today's plan
    /new_contact — new contact
    /new_lead — new lead
    /log — log a call, correspondence or meeting
    /new_deal — deal from a lead
    /leads, /deals, /contacts, /clients — my lists
    /find text — search
    /report — reports
    /export — export lists, calls and meetings to Excel or CSV
    /settings — time zone and language
    /cancel — leave the current action
help-admin =
    <b>For administrators</b>
    /invite — invite a colleague (role and team are chosen with buttons)
    /reassign — reassign the open leads and deals of deactivated colleagues
    /outbox — notifications that could not be sent
help-team-lead =
    <b>For team leads</b>
    /reassign — reassign the open leads and deals of the team's deactivated colleagues

## Commands

cmd-today = Today's plan
cmd-new-contact = New contact
cmd-new-lead = New lead
cmd-log = Log a call, correspondence or meeting
cmd-new-deal = Deal from a lead
cmd-task = New task
cmd-leads = My leads
cmd-deals = My deals
cmd-contacts = My contacts
cmd-find = Search
cmd-report = Reports
cmd-export = Export lists to Excel or CSV
cmd-settings = Settings
cmd-menu = Main menu
cmd-help = Help
cmd-cancel = Cancel the current action
cmd-reassign = Reassign leads and deals
cmd-outbox = Undelivered notifications
cmd-invite = Invite a colleague

## Invitations

invite-pick-role = Who are you inviting? Choose a role.
invite-pick-team = Role: <b>{ $role }</b>. Which team?
invite-new-team = ➕ New team
invite-ask-team-name = Type the new team's name, for example: <i>Sales North</i>.
invite-team-name-invalid = A team name is 2 to 100 characters of text. For example: <i>Sales North</i>.
invite-link =
    The invitation is ready. Forward the link to your colleague:
    { $link }
    Role: <b>{ $role }</b>, team: <b>{ $team }</b>.
    The link works once and expires on { $expires }.

## Settings

settings-summary =
    <b>Settings</b>
    Time zone: { $timezone }
    Language: { $language }
    Work phone: { $work_phone }
    Work e-mail: { $work_email }
settings-weekly = Weekly report on Mondays: { $weekly }
settings-weekly-on = on
settings-weekly-off = off
settings-btn-weekly = 📬 Weekly report: on/off
settings-btn-timezone = 🕒 Time zone
settings-btn-language = 🌐 Language
settings-pick-timezone = Choose a time zone.
settings-tz-other = Other…
settings-ask-timezone = Type an IANA time zone, for example: <code>Asia/Tashkent</code>.
settings-timezone-invalid = I do not know that time zone. Example: <code>Europe/Moscow</code> or <code>Asia/Novosibirsk</code>.
settings-pick-language = Choose a language.
settings-saved = Saved.
settings-btn-work-phone = 📱 Work phone
settings-btn-work-email = 📧 Work e-mail
settings-btn-remove = 🗑 Remove
settings-not-set = not set
settings-ask-work-phone =
    📱 <b>Your work phone</b>, a mobile number such as <i>+7 912 345-67-89</i>. You can also send your own Telegram contact: 📎 → Contact → yourself.
    The bot will not let this number into a client's contact.
settings-ask-work-email =
    📧 <b>Your work e-mail</b>, such as <i>ivanov@company.com</i>.
    The bot will not let this address into a client's contact.
settings-err-not-own-card = This is someone else's contact. Send your own contact or type the number.
language-ru = Русский
language-en = English
btn-prev = « Previous
btn-next = Next »
btn-done = ✅ Done
btn-save = 💾 Save
btn-edit = ✏️ Edit
access-denied = Access denied: this record belongs to another colleague. Nothing was changed.
error-generic = Something went wrong and this action was not done — nothing was saved. Try again or open /menu.

## Length limits (issue 9, finding 8): lengths are counted as the text is shown, so &lt; &gt; &amp; count as 4–5.
limit-too-long =
    Too long: { $length } now, at most { $limit } { $limit ->
        [one] character
       *[other] characters
    } (&lt;, &gt; and &amp; count as 4–5). Shorten the text and send it again — nothing was saved.
limit-search-too-long = The search is too long: { $length } now, at most { $limit } characters. Type a surname, a name or part of a phone number.
card-more-lines = …and { $count } more
card-btn-show-full = 📄 Show in full
card-full-text = { $what } — in full, part { $part } of { $parts }:
menu-more = ☰ More
menu-main = ◀️ Main menu
menu-more-title = The other sections are on the keyboard below. To return: «◀️ Main menu».
