## Administration: directories (/settings → «📚 Directories») and people and teams.

admin-btn-directories = 📚 Directories
admin-btn-team = 👥 People and teams

## Directories

dir-title = 📚 <b>Directories</b>
    Pick a directory. Values can be added, renamed and switched off; they are never deleted, so old records keep their values.
dir-kind-ind = Industries
dir-kind-reg = Business regions
dir-kind-grp = Product groups
dir-kind-prd = Products
dir-kind-src = Lead sources
dir-kind-stg = Pipeline stages
dir-kind-los = Lost-deal reasons
dir-kind-ref = Lead refusal reasons
dir-pick-group = Products are kept per group. Pick a product group.
dir-list-title = <b>{ $kind }</b>
dir-list-products = <b>Products of “{ $group }”</b>
dir-list-empty = Nothing here yet. Press “➕ Add”.
dir-stage-hint = The pipeline stages come first, in order; switched-off stages and the outcomes (✅ won, ❌ lost) below.
dir-order-hint = Managers see the reasons as buttons in this order; switched-off ones are below and not offered.
dir-off-mark = (off)
dir-stage-kind-won = ✅
dir-stage-kind-lost = ❌
dir-btn-add = ➕ Add
dir-btn-rename = ✏️ Rename
dir-btn-off = 🚫 Switch off
dir-btn-on = ✅ Switch on
dir-btn-up = ⬆️ Up
dir-btn-down = ⬇️ Down
dir-btn-period = ⏱ Inactivity period
dir-btn-to-list = « To the list
dir-item-title = { $kind ->
        [ind] Industry
        [reg] Business region
        [grp] Product group
        [prd] Product
        [src] Lead source
        [stg] Pipeline stage
        [los] Lost-deal reason
        [ref] Lead refusal reason
       *[other] Value
    }: <b>{ $name }</b>
dir-status-on = Status: on — can be chosen for new records.
dir-status-off = Status: off — stays on old records but is not offered for new ones.
dir-stage-outcome-note = This is a deal outcome (won or lost): it cannot be switched off or moved, only renamed.
dir-period-default = Inactivity period: the default ({ $months } mo.).
dir-period-own = Inactivity period: { $months } mo. (this stage's own).
dir-ask-new-name =
    Type the name of the new { $kind ->
        [ind] industry
        [reg] business region
        [grp] product group
        [prd] product
        [src] lead source
        [stg] pipeline stage
        [los] lost-deal reason
        [ref] lead refusal reason
       *[other] value
    }: { $min } to { $max } characters, not repeating one already in the directory.
    For example: <code>{ $kind ->
        [ind] Retail
        [reg] Urals
        [grp] Mobile printers
        [prd] Zebra ZD421 label printer
        [src] Partner programme
        [stg] Equipment demo
        [los] Delivery dates slipped
        [ref] Wrong number
       *[other] New value
    }</code>
dir-ask-rename =
    Now: <b>{ $current }</b>. Type the new name of the { $kind ->
        [ind] industry
        [reg] business region
        [grp] product group
        [prd] product
        [src] lead source
        [stg] pipeline stage
        [los] lost-deal reason
        [ref] lead refusal reason
       *[other] value
    } ({ $min } to { $max } characters).
    For example: <code>{ $kind ->
        [ind] Retail
        [reg] Urals
        [grp] Mobile printers
        [prd] Zebra ZD421 label printer
        [src] Partner programme
        [stg] Equipment demo
        [los] Delivery dates slipped
        [ref] Wrong number
       *[other] New value
    }</code>
dir-name-too-short = Too short: at least { $min } characters, please. Type the name again.
dir-name-too-long = Too long: at most { $max } characters. Type a shorter name.
dir-name-taken = This value already exists: “{ $name }”. Names must not repeat (case does not matter). Type another one.
dir-name-need-text = Please type the name as text.
dir-saved = Saved: “{ $name }”.
dir-activated = Switched on.
dir-deactivated = Switched off. Old records keep the value.
dir-stage-outcome-fixed = The deal outcomes (won, lost) cannot be switched off, moved or given a period or a probability (won is 100 %, lost 0 %).
dir-stage-last-active = The last active pipeline stage cannot be switched off: deals need at least one stage.
dir-stage-edge = The stage is already at the edge — it cannot move further.
dir-reordered = The stage order has changed.
dir-value-edge = The value is already at the edge — it cannot move further.
dir-value-reordered = The order has changed: managers are offered the reasons in this order.
dir-ask-period =
    ⏱ Inactivity period for the stage <b>{ $name }</b>: a deal at this stage goes inactive when there has been no qualifying interaction within it.
    Pick 1 to { $max } months or “Default”.
dir-period-months = { $months } mo.
dir-btn-period-default = Default ({ $months } mo.)
dir-period-invalid = The period is a whole number of months from 1 to { $max }.
dir-period-saved = Period saved.
dir-btn-probability = 📈 Probability, %
dir-probability-default = Chance of winning: { $percent } % (the default, from the stage's place in the pipeline).
dir-probability-own = Chance of winning: { $percent } % (this stage's own).
dir-ask-probability =
    📈 Chance of winning for the stage <b>{ $name }</b>: how likely a deal at this stage is to be won. It weighs the deal's sum in the sales forecast.
    Type a whole number of percent from { $min } to { $max }, for example 40.
dir-btn-probability-default = Default (from the place in the pipeline)
dir-probability-invalid = The probability is a whole number of percent from { $min } to { $max }, for example 40. Please type it again.
dir-probability-saved = Probability saved.

## People and teams

team-users-title = 👥 <b>People</b> (press a number to open the card)
team-users-line = { $n }. { $name } — { $role }, { $team } — { $status }
team-no-team = no team
team-status-on = active
team-status-off = deactivated
team-status-unreachable = unreachable (blocked the bot)
team-card-title = 👤 <b>{ $name }</b>
team-card-username = @{ $username }
team-card-role = Role: { $role }
team-card-team = Team: { $team }
team-card-status = Status: { $status }
team-card-conversion = Permission to convert clients: { $value }
team-card-work = Open leads: { $leads }, open deals: { $deals }
team-card-admin-id-note = ℹ️ This person is listed in ADMIN_IDS: at their next message the bot makes them an active admin again. Their role and deactivation change only in the ADMIN_IDS setting.
team-conv-default = by role ({ $effective })
team-conv-yes = yes
team-conv-no = no
team-conv-allowed = allowed
team-conv-forbidden = forbidden
team-conv-btn-default = By role
team-conv-btn-allowed = Allowed
team-conv-btn-forbidden = Forbidden
team-btn-role = 🎭 Role
team-btn-team = 👥 Team
team-btn-conversion = 🔑 Conversion permission
team-btn-off = 🚫 Deactivate
team-btn-off-confirm = 🚫 Yes, deactivate
team-btn-on = ✅ Reactivate
team-btn-reassign = 🔁 Reassign ({ $count })
team-btn-to-list = « To the list
team-btn-new-team = ➕ New team
team-ask-role = Which role should { $name } have?
team-ask-team = Which team should { $name } move to?
team-ask-team-name = Type the new team's name (2 to 100 characters). For example: <code>Sales South</code>
team-name-invalid = A team name is 2 to 100 characters. For example: <code>Sales South</code>
team-moved = Moved to the team “{ $team }”.
team-ask-conversion = The permission to convert clients into counterparties for { $name }. “By role”: team leads and admins have it, managers do not.
team-ask-deactivate =
    Deactivate { $name }? They will no longer be able to use the bot.
    Open leads: { $leads }, open deals: { $deals } — you can hand them to other people in the team.
team-saved = Saved.
team-deactivated = Deactivated.
team-activated = Active again.
team-not-yourself = You cannot deactivate yourself.
team-last-admin = Not possible: this is the last active admin.
team-admin-id-locked = This admin is listed in ADMIN_IDS: the bot gives the role back at their next message. Remove them from ADMIN_IDS to change the role or deactivate.

## Reassigning a deactivated person's work

team-reassign-notice =
    { $name } has been deactivated. Open leads left: { $leads }, open deals: { $deals }.
    Please hand them to other people in the team.
team-btn-reassign-notice = 🔁 Reassign
team-reassign-not-allowed = Only team leads and admins can reassign work.
team-reassign-nothing = Nothing to hand over: the people whose work you may hand over have no open leads or deals.
team-reassign-pick-owner = Whose work should be handed over?
team-reassign-owner = { $name } ({ $count })
team-reassign-owner-active = This person is active again — there is nothing to hand over.
team-work-title = Open work of <b>{ $name }</b>: leads — { $leads }, deals — { $deals }. Press a record to choose who gets it.
team-work-lead = Lead #{ $id } — { $contact } ({ $group })
team-work-deal = Deal #{ $id } — { $contact } ({ $group })
team-btn-who = To whom? { $label }
team-btn-all-to-one = 📦 All to one…
team-what-lead = lead #{ $id }
team-what-deal = deal #{ $id }
team-ask-who-one = Who should get { $kind ->
        [l] lead #{ $id }
       *[d] deal #{ $id }
    }?
team-ask-who-all = Who should get all the open work of { $name }?
team-reassign-nobody = Nobody to hand it to: there are no other active people in the team.
team-reassign-gone = This record is already closed or handed over. Nothing changed.
team-reassigned-one = Done: { $kind ->
        [l] lead #{ $id }
       *[d] deal #{ $id }
    } handed to { $name }.
team-reassigned-all = Done: { $name } got the leads ({ $leads }) and deals ({ $deals }).
team-reassign-done = All the open work of { $name } has been handed over.
team-assigned-lead = Lead #{ $id } is now yours (handed over by { $by }).
team-assigned-deal = Deal #{ $id } is now yours (handed over by { $by }).
team-assigned-all = The work of { $owner } is now yours: leads — { $leads }, deals — { $deals } (handed over by { $by }). They are in /leads and /deals.
team-btn-open-lead = Open the lead
team-btn-open-deal = Open the deal

## Settings, invitations and the administration forms

settings-zone-or-type = Or type the time zone's IANA name, for example: <code>Asia/Tashkent</code>.
invite-form-title = Invitation
invite-team-or-type = Or type the name of a new team.
invite-use-buttons = Choose a role with the buttons below.
dir-form-title = Directory name
team-form-title = New team
dir-search-hint = To open a value, press it or type its name.
dir-search-none = There is no such value in the directory. Type the name differently or press “➕ Add”.

## Handing over an active member's work

team-reassign-owner-off = { $name } — deactivated ({ $count })
team-confirm-one = Hand { $kind ->
        [l] lead #{ $id }
       *[d] deal #{ $id }
    } from { $owner } to { $target }? Its open tasks go with it. Both will be notified.
team-confirm-all = Hand all the open work of { $owner } (leads: { $leads }, deals: { $deals }) to { $target }? The open tasks of these records go with them. Both will be notified.
team-btn-confirm-reassign = ✅ Hand over
team-taken-lead = Your lead #{ $id } was handed to { $to } (by { $by }).
team-taken-deal = Your deal #{ $id } was handed to { $to } (by { $by }).
team-taken-all = Your open work was handed to { $to }: leads: { $leads }, deals: { $deals } (by { $by }).
