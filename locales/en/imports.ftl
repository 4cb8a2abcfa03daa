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
