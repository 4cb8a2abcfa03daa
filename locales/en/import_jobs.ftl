## Import: the outcome of every row of the file (the «Result» column) and the reasons for a refusal

import-result-column = Result
import-result-sheet = Import
import-result-created = created
import-result-removed = removed when the import was undone
import-result-not-written = not written
import-result-duplicate-row = duplicate: { $pair } (row { $row })
import-result-duplicate-contact = duplicate: { $pair } (contact #{ $contact })
import-result-error = error: { $reason }

import-pair-name = full name
import-pair-phone = phone
import-pair-birth-date = date of birth
import-pair-email = e-mail

import-err-industry-unknown = There is no industry «{ $name }» in the directory. Add it in /settings or correct the name in the file.
import-err-region-unknown = There is no business region «{ $name }» in the directory. Add it in /settings or correct the name in the file.
import-err-responsible-unknown = «{ $name }» is not among the people you may make responsible.
import-err-write = The database did not accept this row. Check it and import it again.
import-err-not-preview = This import has already been started or has finished.
