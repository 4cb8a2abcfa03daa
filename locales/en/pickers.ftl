## Choosing a lead (or a deal) in /log and /new_deal

pick-lead-title =
    <b>Log a client contact.</b> Choose the lead:
    the ones worked on most recently come first. To find one, type a name, a client or a phone number.
pick-lead-title-deal =
    <b>A deal from a lead.</b> Choose the lead:
    the ones worked on most recently come first. To find one, type a name, a client or a phone number.
pick-deal-title =
    <b>Log a client contact.</b> Choose the deal:
    the ones worked on most recently come first. To find one, type a name, a client or a phone number.
pick-search = 🔎 Search: “{ $text }”
pick-lead-empty = You have no open leads to work on. New lead: /new_lead
pick-deal-empty = You have no open deals to work on.
pick-not-found = Nothing found. Try other words or clear the search.
pick-item = { $label }
pick-no-group = no group
pick-id = #{ $id }
pick-age =
    { $days ->
        [0] today
        [1] yesterday
       *[other] { $days } d
    }
pick-btn-deals = 💼 My deals
pick-btn-leads = 📋 My leads
pick-btn-clear = ✖️ Clear search

## Choosing a due time: the calendar or “tomorrow 3pm”

due-ask = 📌 <b>When is the next step?</b> Pick a day in the calendar or type: <i>tomorrow 15:00</i>, <i>fri 11:00</i>, <i>in 3 days</i>, <i>25.12 10:30</i>.
due-ask-task = 🗓 <b>When?</b> Pick a day in the calendar or type: <i>tomorrow 15:00</i>, <i>fri 11:00</i>, <i>in 3 days</i>, <i>25.12 10:30</i>.
due-current = Now: { $current }.
due-ask-time = 🕒 <b>{ $day }</b>: at what time? Pick one or type it, for example <i>15:30</i>.
due-err-time = That does not look like a time. Type it like this: 15:30.
due-btn-remove = 🗑 No date
