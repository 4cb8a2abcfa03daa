## Deals: /new_deal, the deal card, /deals

deal-closed = This deal is already closed (won or lost) and can no longer be changed.
deal-use-buttons = Choose an option with the buttons under the message, or press «✖️ Cancel».
deal-search-none = Nothing matches «{ $text }». Choose with a button or type it differently.
deal-search-shown = Matching «{ $text }»:

## New deal

deal-form-title = New deal
deal-ask-lead =
    <b>New deal.</b> Which lead becomes the deal?
    A deal can be made from a lead that had a successful contact with an expanded comment.
deal-btn-pick-lead = 🔎 Choose a lead
deal-lead-refused-not-open = This lead is already closed: it was converted into a deal or rejected. It cannot become a deal.
deal-lead-refused-no-qualifying-interaction = This lead cannot become a deal yet: it needs a successful contact with the client and an expanded comment. Log it with «📞».
deal-ask-group =
    Client: <b>{ $contact }</b>.
    Choose the deal's product group, or type its name.
deal-duplicate =
    { $contact } already has an open deal #{ $id } in the group «{ $group }» (responsible: { $responsible }).
    A client may not have two open deals in the same product group. Choose another group or work in the existing deal.
deal-btn-open-existing = 📂 Open the existing deal
deal-line = • { $product } — { $amount }
deal-no-lines = no products yet
deal-ask-product =
    Choose a product with a button, or type its name.
    Already in the deal:
    { $lines }
deal-ask-amount =
    Product: <b>{ $product }</b>.
    Enter the amount in roubles, for example: 150000, 150 000, 150k or 1.5 mln.
    Or quantity × price: 5 × 90 000.
deal-ask-stage = Choose the deal's stage. The current one is ticked.
deal-ask-comment =
    An expanded comment on the deal: what was discussed and what was agreed.
    For example: "The client needs 5 scanners; we are waiting for budget approval by the end of the month".
deal-comment-current =
    Now:
    <i>{ $current }</i>
deal-ask-responsible = Who will be responsible for the deal? The current one is ticked.
deal-summary =
    <b>Check the deal before saving</b>
    Contact: { $contact }
deal-summary-row = { $field }: { $value }
deal-value = { $value }
deal-value-none = not set
deal-value-lines =
    <b>{ $total }</b>
    { $lines }
deal-comment-offered = <i>Taken from the lead's successful contact — change it if needed.</i>
deal-field-group = Product group
deal-field-lines = Products
deal-field-stage = Stage
deal-field-comment = Comment
deal-field-responsible = Responsible
deal-btn-edit-group = ✏️ Group
deal-btn-edit-lines = ✏️ Products
deal-btn-edit-stage = ✏️ Stage
deal-btn-edit-comment = ✏️ Comment
deal-btn-edit-responsible = ✏️ Responsible
deal-btn-more-product = ➕ Another product
deal-summary-use-buttons = The deal is not saved yet: press «💾 Save» or change a field with «✏️».
deal-choice-inactive = «{ $field }»: the chosen value was switched off by an admin. Choose another with «✏️» and save again.
deal-saved-title = ✅ The deal is saved. The lead is now "Converted into a deal".

## The deal card

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
deal-card-inactive-incorrect = 💤 Inactive while the deal is incorrect (activity period until { $deadline })
deal-card-closed-at = 🏁 Closed: { $at }
deal-card-lost-reason = ✖️ Reason: { $reason }
deal-btn-log = 📞 Log a contact
deal-btn-stage = 🔀 Change stage
deal-btn-product = ➕ Product
deal-btn-task = 🗓 Task
deal-btn-won = 🏆 Won
deal-btn-lost = ✖️ Lost
deal-ask-new-stage = Current stage: <b>{ $stage }</b>. Choose the new stage.
deal-stage-changed = ✅ Stage changed.
deal-ask-card-product = Which product should be added to the deal? Choose with a button or type its name.
deal-line-added = ✅ The product is added to the deal.
deal-ask-won = Mark deal #{ $id } as won? It can no longer be changed after that.
deal-btn-won-confirm = 🏆 Yes, won
deal-won-saved = 🏆 Congratulations! The deal is marked as won.
deal-ask-lost-reason = Why was deal #{ $id } lost? Choose the reason.
deal-ask-lost-text =
    Reason: <b>{ $reason }</b>.
    If you like, explain it in your own words — { $min } to { $max } characters, for example: "The client chose a supplier 15% cheaper". Or press “Skip”.
deal-lost-reason-invalid = The explanation must be { $min } to { $max } characters long. For example: "The client chose a supplier 15% cheaper". Or press “Skip”.
deal-ask-lost =
    Mark deal #{ $id } as lost? It can no longer be changed after that.
    Reason: <i>{ $reason }</i>
deal-btn-lost-confirm = ✖️ Yes, lost
deal-lost-saved = The deal is marked as lost; the reason is saved.
deal-full-comment = Comment of deal #{ $id }

## The list of deals

deal-list =
    📈 <b>{ $scope ->
        [team] Team deals
        [all] All deals
       *[own] My deals
    }</b> — { $filter }
    { $items }
deal-list-empty = No deals under this filter.
deal-list-item =
    { $icon } #{ $id } { $contact } · { $group } · { $stage } · { $days ->
        [one] { $days } day
       *[other] { $days } days
    } · { $amount }{ $owner }
deal-list-item-won = 🏆 #{ $id } { $contact } · { $group } · { $amount } · won { $closed }{ $owner }
deal-list-item-lost =
    ✖️ #{ $id } { $contact } · { $group } · { $amount } · lost { $closed }{ $owner }
        Reason: <i>{ $reason }</i>
deal-list-owner = {" "}· 👤 { $owner }
deal-list-total =
    Total: { $count } { $count ->
        [one] deal
       *[other] deals
    } worth { $amount }
deal-filter-all = All open
deal-filter-active = Active
deal-filter-risk = At risk
deal-filter-inactive = Inactive
deal-filter-incorrect = Incorrect
deal-filter-won = Won
deal-filter-lost = Lost

## Texts of the former step-by-step deal interface (handlers/legacy/deals.py), while it stays in the code

deal-ask-more =
    Products of the deal:
    { $lines }
    Total: <b>{ $total }</b>
    Add another product or go on?
deal-need-line = Add at least one product with an amount above zero: choose a product below.
deal-need-text = Please answer with text, or press «✖️ Cancel».
deal-lead-not-convertible =
    This lead cannot become a deal yet.
    { $reasons }

## Expected close date

deal-field-close_date = Expected close date
deal-btn-edit-close_date = ✏️ Close date
deal-ask-close_date =
    📅 <b>When do you expect to close the deal?</b> Pick a day in the calendar or type: <i>25.12</i>, <i>fri</i>, <i>in 2 weeks</i>.
deal-btn-clear-close_date = 🗑 No date
deal-card-close_date = 📅 Expected to close: { $value }
deal-empty-close_date = not set

## The edit of a saved deal («✏️ Edit»)
deal-btn-edit = ✏️ Edit
deal-btn-add-line = ➕ Add a product
deal-ask-edit =
    ✏️ <b>What to change in deal #{ $id }?</b>
    Tap a product to change its amount or remove it.
deal-edit-line-label = ✏️ { $product } — { $amount }
deal-ask-line =
    { $line }
    Change this product's amount or remove it from the deal?
deal-btn-line-amount = ✏️ Amount
deal-btn-line-remove = 🗑 Remove
deal-ask-card-group = Choose the deal's new product group.
deal-ask-group-drop =
    The group «{ $group }» has none of these products of the deal, they will be removed:
    { $lines }
    Change the group?
deal-group-drop-all = After the change, add a product of the new group: without a product the deal is incorrect.
deal-btn-group-confirm = ✅ Change the group
deal-ask-card-responsible = Who takes the deal over? Both people will be notified.
deal-comment-changed = ✅ Comment saved.
deal-line-changed = ✅ The product's amount is changed.
deal-line-removed = ✅ The product is removed from the deal.
deal-group-changed = ✅ The product group is changed.
deal-group-changed-add-line = ✅ The product group is changed. Add a product of the new group — without one the deal is incorrect.
deal-responsible-changed = ✅ The responsible is changed; both people will be notified.
deal-last-line = A deal keeps at least one product. Change its amount, or add another product first.
