## Search (/find): contacts, leads, deals and clients

search-ask = 🔎 What are we looking for? Type part of a name, a phone or a client's name. For example: <i>Ivanov</i> or <i>912 345</i>.
search-err-too-short = The query is too short: at least { $min } characters. For example: <i>Ivanov</i> or <i>912 345</i>.
search-nothing = Nothing found for "{ $query }". Check the spelling or search by phone.
search-results = 🔎 Contacts found for "{ $query }": { $total }. Page { $page } of { $pages }.
search-clients = Clients: { $count }
search-hint = To look for something else, just type a new query.
search-btn-client = 🏢 { $name }
search-btn-lead = 🎯 Lead #{ $id } · { $name }
search-btn-deal = 💼 Deal #{ $id } · { $name }
search-btn-again = 🔎 New search
