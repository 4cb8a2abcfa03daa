## Deals: /new_deal, the deal card, /deals

deal-closed = This deal is already closed (won or lost) and can no longer be changed.
deal-use-buttons = Choose an option with the buttons under the message, or press «✖️ Cancel».
deal-need-text = Please answer with text, or press «✖️ Cancel».

## New deal

deal-no-leads =
    You have no open leads to make a deal from.
    Create a lead first: /new_lead
deal-ask-lead =
    <b>New deal.</b> Step 1: which lead becomes the deal?
    🔒 — the lead has no successful contact with an expanded comment yet, so it cannot be converted.
deal-lead-not-convertible =
    This lead cannot become a deal yet.
    { $reasons }
deal-ask-group =
    Client: <b>{ $contact }</b>.
    Step 2: choose the deal's product group.
deal-duplicate =
    { $contact } already has an open deal #{ $id } in the group «{ $group }» (responsible: { $responsible }).
    A client may not have two open deals in the same product group. Choose another group or work in the existing deal.
deal-btn-open-existing = 📂 Open the existing deal
deal-line = • { $product } — { $amount }
deal-no-lines = no products yet
deal-ask-product =
    Step 3: choose a product.
    Already in the deal:
    { $lines }
deal-ask-amount =
    Product: <b>{ $product }</b>.
    Enter the amount in roubles, for example: 150000, 150 000, 150k or 1.5 mln.
deal-ask-more =
    Products of the deal:
    { $lines }
    Total: <b>{ $total }</b>
    Add another product or go on?
deal-btn-more-product = ➕ Another product
deal-need-line = Add at least one product with an amount above zero: choose a product below.
deal-ask-stage =
    Step 4: the deal's stage. Selected now: <b>{ $stage }</b>.
    Choose another one or press «Skip» to keep it.
deal-ask-comment =
    Step 5: an expanded comment on the deal — what was discussed and what was agreed.
    For example: «The client needs 5 scanners, we wait for budget approval by the end of the month».
deal-comment-too-long = The comment is too long: at most { $max } characters. Please shorten it.
deal-ask-responsible =
    Step 6: who is responsible for the deal. Now: <b>{ $name }</b>.
    Choose a colleague or press «Skip».
deal-summary =
    <b>Check the deal before saving</b>
    Contact: { $contact }
    Product group: { $group }
    Products:
    { $lines }
    Total: <b>{ $total }</b>
    Stage: { $stage }
    Comment: { $comment }
    Responsible: { $responsible }
deal-btn-edit-group = ✏️ Group
deal-btn-edit-lines = ✏️ Products
deal-btn-edit-stage = ✏️ Stage
deal-btn-edit-comment = ✏️ Comment
deal-btn-edit-resp = ✏️ Responsible
deal-saved = Deal #{ $id } is saved. The lead is now «Converted to a deal».

## Deal card

deal-card-title = 💼 <b>Deal #{ $id }</b> · { $status }
deal-card-contact = 👤 Contact: { $name }
deal-card-group = 📦 Product group: { $group }
deal-card-stage = 🧭 Stage: { $stage }
deal-card-lines =
    🧾 Products:
    { $lines }
deal-card-total = 💰 Total: <b>{ $total }</b>
deal-card-responsible = 🙋 Responsible: { $name }
deal-card-comment = 💬 Comment: { $comment }
deal-card-correct = ✅ The deal is filled in correctly
deal-card-incorrect = ⚠️ The deal is incorrect, missing: { $fields }
deal-card-active =
    🟢 Active through { $deadline } — { $days ->
        [one] { $days } day left
       *[other] { $days } days left
    }
deal-card-inactive-overdue =
    💤 Inactive: the activity period ended on { $deadline } ({ $days ->
        [one] { $days } day ago
       *[other] { $days } days ago
    }). Log a successful contact with the client.
deal-card-inactive-incorrect = 💤 Inactive while the deal is incorrect (activity period through { $deadline })
deal-card-closed-at = 🏁 Closed: { $at }
deal-card-lost-reason = ✖️ Reason for refusal: { $reason }
deal-btn-log = 📞 Log a contact
deal-btn-stage = 🔀 Change stage
deal-btn-product = ➕ Product
deal-btn-task = 🗓 Task
deal-btn-won = 🏆 Won
deal-btn-lost = ✖️ Lost
deal-ask-new-stage = Current stage: <b>{ $stage }</b>. Choose the new stage.
deal-stage-changed = The stage is changed.
deal-ask-card-product = Which product to add to the deal? Choose below.
deal-line-added = The product is added to the deal.
deal-ask-won = Mark deal #{ $id } as won? It cannot be changed afterwards.
deal-btn-won-confirm = 🏆 Yes, won
deal-won-saved = Congratulations! The deal is marked as won.
deal-ask-lost-reason =
    Why was the deal lost? Write the reason for the refusal.
    For example: «The client chose a supplier 15% cheaper».
deal-lost-reason-invalid = The reason is { $min } to { $max } characters long. For example: «The client chose a supplier 15% cheaper».
deal-lost-saved = The deal is marked as lost, the reason is saved.

## Deal list

deal-list =
    📈 <b>My deals</b> — { $filter }
    { $items }
deal-list-empty = No deals under this filter.
deal-list-item =
    { $icon } #{ $id } { $contact } · { $group } · { $stage } · { $days ->
        [one] { $days } day
       *[other] { $days } days
    }
deal-filter-all = All open
deal-filter-active = Active
deal-filter-risk = At risk
deal-filter-inactive = Inactive
deal-filter-incorrect = Incorrect
deal-choice-inactive = “{ $field }”: the chosen value was switched off by an administrator. Pick another on the summary and save again.
deal-full-comment = Comment of deal #{ $id }
