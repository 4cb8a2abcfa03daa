## Импорт: итог по каждой строке файла (колонка «Результат») и причины отказа

import-result-column = Результат
import-result-sheet = Импорт
import-result-created = создан
import-result-removed = удалён при отмене импорта
import-result-not-written = не записан
import-result-duplicate-row = дубликат: { $pair } (строка { $row })
import-result-duplicate-contact = дубликат: { $pair } (контакт №{ $contact })
import-result-error = ошибка: { $reason }

import-pair-name = ФИО
import-pair-phone = телефон
import-pair-birth-date = дата рождения
import-pair-email = e-mail

import-err-industry-unknown = Отрасли «{ $name }» нет в справочнике. Добавьте её в /settings или исправьте название в файле.
import-err-region-unknown = Бизнес-региона «{ $name }» нет в справочнике. Добавьте его в /settings или исправьте название в файле.
import-err-responsible-unknown = Ответственный «{ $name }» не найден среди сотрудников, которых вы можете назначить.
import-err-write = База данных не приняла строку. Проверьте её и загрузите ещё раз.
import-err-not-preview = Этот импорт уже запущен или завершён.
