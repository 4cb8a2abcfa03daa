## The conversation toolkit: refusals, leaving a form, the calendar.

record-closed = This record is already closed; the action no longer applies. Nothing was changed.
record-conflict = That did not work: the record was just changed, or such a record already exists. Nothing was changed — open the card again.
input-invalid = Could not read the answer. Please try again following the example below.
form-err-text-expected = Please answer the question below with text.

leave-form-ask = ✋ The form «{ $form }» is not saved (step { $step }). Leave without saving?
leave-form-return = ↩️ Continue: { $form }, step { $step }
leave-form-leave = 🚪 Leave without saving

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
weekday-short-0 = Mo
weekday-short-1 = Tu
weekday-short-2 = We
weekday-short-3 = Th
weekday-short-4 = Fr
weekday-short-5 = Sa
weekday-short-6 = Su

## Optional details of a record (handlers/kit/details.py)

detail-value = { $value }
detail-err-day-past = That date has passed. Pick today or a day ahead.
detail-err-gone = This field can no longer be changed here. Go back to the summary.

## Open tasks on lead, deal and client cards (handlers/kit/cards.py)

card-tasks-title = 🗓 <b>Open tasks ({ $count })</b>
card-task-line = • { $due } — { $title }
card-task-line-for = • { $due } — { $title } ({ $who })
card-tasks-more = …and { $count } more
card-btn-task = 🗓 Task

## The reason a deal is lost or a lead refused (R2a)
outcome-reason-gone = This reason is no longer on the list (it was switched off or removed). Please choose another reason.
outcome-reasons-none = The directory has no reason switched on. Ask an admin to switch one on in /settings → “📚 Directories”.
