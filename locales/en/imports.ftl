# Import (issue 13): why a file cannot be read, what is wrong with a cell, and the fields a column can hold.

import-err-too-large = The file is too large: at most { $limit } MB. Please split it and send the parts one by one.
import-err-too-many-rows = The file has too many rows: at most { $limit }. Please split it and send the parts one by one.
import-err-format = This format is not supported. Please send a spreadsheet as .xlsx or .csv (in Excel: File → Save As → Excel Workbook (.xlsx)).
import-err-broken = The file could not be read: it seems to be damaged. Please open it in Excel or LibreOffice, save it again and resend it.
import-err-encoding = The file's encoding was not recognised. Please save the CSV as UTF-8 or Windows-1251 and send it again.
import-err-zip-bomb = The file was refused: unpacked, it would take far too much space. Damaged or malicious files look like this. Please save the spreadsheet again and resend it.
import-err-empty = The file is empty: it has no row of column headers.
import-err-no-rows = The file has column headers but no rows of data.
import-err-cell-formula = the cell holds a formula; please put its value there instead
import-err-cell-too-long = the cell holds more than 1000 characters

import-field-full_name = Full name
import-field-surname = Surname
import-field-given_name = Given name
import-field-patronymic = Patronymic
import-field-phone = Phone
import-field-mobile = Mobile phone
import-field-birth_date = Date of birth
import-field-email = Personal e-mail
import-field-work_email = Work e-mail
import-field-position = Job title
import-field-client = Client
import-field-industry = Industry
import-field-region = Region
import-field-city = City
import-field-responsible = Responsible
import-field-none = — do not import

## Import: the dialog, progress, result and undo

cmd-import = Import contacts from a file
settings-btn-import = 📥 Import contacts
import-only-leads = Importing contacts is for team leads and admins.
import-ask-file =
    📥 <b>Import contacts</b>
    Send a .xlsx or .csv table (up to { $mb } MB and { $rows } rows). The first row holds the column headers: full name, phone, date of birth, e-mail, position, client, industry, region, responsible. Contact exports from amoCRM and Bitrix24 work too.
import-send-file = Send a .xlsx or .csv file as a document (paperclip → «File»).
import-use-buttons = Pick an action with the buttons below.
import-mapping =
    📥 <b>{ $file }</b>: data rows — { $rows }.
    Columns and what to load from them:
import-mapping-line = { $letter }. «{ $header }» → <b>{ $field }</b>
import-mapping-line-sample = { $letter }. «{ $header }» → <b>{ $field }</b> (e.g. { $sample })
import-mapping-lacking = ⚠️ No column for required fields: { $lacking }. Assign them with the buttons below.
import-mapping-hint = To change one, press its column. Then «Check rows»: nothing is written before you confirm.
import-required-full_name = full name
import-required-phone = mobile phone
import-required-birth_date = date of birth
import-required-email = personal e-mail
import-err-missing-columns = No column for required fields: { $fields }. Press a column and pick the field.
import-ask-field = What should be loaded from the column «{ $header }»?
import-btn-check = 🔎 Check rows
import-btn-cancel = ✖️ Cancel the import
import-btn-columns = ✏️ Change columns
import-btn-confirm = ✅ Load new: { $new }
import-preview =
    🔎 <b>File check</b>: nothing is written yet.
    New contacts: { $new }
    Duplicates: { $duplicates }
    With errors: { $invalid }
import-preview-new-head = {""}
    <b>New</b> (first ones):
import-preview-duplicate-head = {""}
    <b>Duplicates</b> (first ones):
import-preview-invalid-head = {""}
    <b>With errors</b> (first ones):
import-preview-row = • row { $row }: { $name }
import-preview-row-reason = • row { $row }: { $name } — { $reason }
import-started = ⏳ Loading new contacts: { $rows }. You can go on working: when the import ends I will send the result and a file with the outcome of every row.
import-checking = 🔎 Checking the rows: { $rows }. A large file may take up to a minute.
import-cancelled = Import cancelled: nothing was written.
import-progress = ⏳ Import: { $done } of { $total } ({ $percent }%), about { $minutes } min left.
import-done =
    ✅ <b>Import finished</b>
    Contacts created: { $created }
    Duplicates: { $duplicates }
    With errors: { $invalid }
    The file has the outcome of every row. The import can be undone within 24 hours.
import-stopped =
    ⚠️ <b>Import stopped</b>
    Contacts created: { $created }; not written: { $pending }.
    Duplicates: { $duplicates }; with errors: { $invalid }.
    Send the file again to load the rest: contacts already created will show as duplicates and will not be doubled.
import-btn-undo = ↩️ Undo the import
import-undo-expired = This import can no longer be undone: more than 24 hours have passed, or it was undone already.
import-undone = ↩️ Import undone: contacts removed — { $removed }. Kept — { $kept }: someone has worked with them (leads, deals, edits).
