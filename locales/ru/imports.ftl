# Import (issue 13): why a file cannot be read, what is wrong with a cell, and the fields a column can hold.

import-err-too-large = Файл слишком большой: можно не больше { $limit } МБ. Разделите его на части и пришлите по очереди.
import-err-too-many-rows = В файле слишком много строк: можно не больше { $limit }. Разделите его на части и пришлите по очереди.
import-err-format = Этот формат не поддерживается. Пришлите таблицу в формате .xlsx или .csv (в Excel: «Файл» → «Сохранить как» → «Книга Excel (.xlsx)»).
import-err-broken = Не удалось прочитать файл: похоже, он повреждён. Откройте его в Excel или LibreOffice, сохраните заново и пришлите ещё раз.
import-err-encoding = Не удалось распознать кодировку файла. Сохраните CSV в кодировке UTF-8 или Windows-1251 и пришлите ещё раз.
import-err-zip-bomb = Файл отклонён: после распаковки он занял бы слишком много места. Так выглядят повреждённые или опасные файлы. Сохраните таблицу заново и пришлите ещё раз.
import-err-empty = Файл пуст: в нём нет строки с заголовками столбцов.
import-err-no-rows = В файле есть заголовки столбцов, но нет ни одной строки с данными.
import-err-cell-formula = в ячейке формула; вместо неё впишите значение
import-err-cell-too-long = в ячейке больше 1000 символов

import-field-full_name = ФИО
import-field-surname = Фамилия
import-field-given_name = Имя
import-field-patronymic = Отчество
import-field-phone = Телефон
import-field-mobile = Мобильный телефон
import-field-birth_date = Дата рождения
import-field-email = Личный e-mail
import-field-work_email = Рабочий e-mail
import-field-position = Должность
import-field-client = Клиент
import-field-industry = Отрасль
import-field-region = Регион
import-field-city = Город
import-field-responsible = Ответственный
import-field-none = — не загружать

## Импорт: диалог, ход загрузки, итог и отмена

cmd-import = Импорт контактов из файла
settings-btn-import = 📥 Импорт контактов
import-only-leads = Импорт контактов доступен руководителю группы и администратору.
import-ask-file =
    📥 <b>Импорт контактов</b>
    Пришлите таблицу .xlsx или .csv (до { $mb } МБ и { $rows } строк). Первая строка — заголовки столбцов: ФИО, телефон, дата рождения, e-mail, должность, клиент, отрасль, регион, ответственный. Подойдут и выгрузки контактов из amoCRM и Битрикс24.
import-send-file = Пришлите файл .xlsx или .csv документом (скрепка → «Файл»).
import-use-buttons = Выберите действие кнопкой ниже.
import-mapping =
    📥 <b>{ $file }</b>: строк с данными — { $rows }.
    Столбцы и что из них загрузить:
import-mapping-line = { $letter }. «{ $header }» → <b>{ $field }</b>
import-mapping-line-sample = { $letter }. «{ $header }» → <b>{ $field }</b> (например: { $sample })
import-mapping-lacking = ⚠️ Не хватает столбцов для обязательных полей: { $lacking }. Назначьте их кнопками ниже.
import-mapping-hint = Чтобы изменить, нажмите на столбец. Затем «Проверить строки»: ничего не будет записано до подтверждения.
import-required-full_name = ФИО
import-required-phone = мобильный телефон
import-required-birth_date = дата рождения
import-required-email = личный e-mail
import-err-missing-columns = Не хватает столбцов для обязательных полей: { $fields }. Нажмите на столбец и выберите поле.
import-ask-field = Что загрузить из столбца «{ $header }»?
import-btn-check = 🔎 Проверить строки
import-btn-cancel = ✖️ Отменить импорт
import-btn-columns = ✏️ Изменить столбцы
import-btn-confirm = ✅ Загрузить новых: { $new }
import-preview =
    🔎 <b>Проверка файла</b>: ничего ещё не записано.
    Новых контактов: { $new }
    Дубликатов: { $duplicates }
    С ошибками: { $invalid }
import-preview-new-head = {""}
    <b>Новые</b> (первые):
import-preview-duplicate-head = {""}
    <b>Дубликаты</b> (первые):
import-preview-invalid-head = {""}
    <b>С ошибками</b> (первые):
import-preview-row = • строка { $row }: { $name }
import-preview-row-reason = • строка { $row }: { $name } — { $reason }
import-started = ⏳ Загружаю новых контактов: { $rows }. Можно работать дальше: когда импорт закончится, я пришлю итог и файл с результатом по каждой строке.
import-checking = 🔎 Проверяю строки: { $rows }. Для большого файла это может занять до минуты.
import-cancelled = Импорт отменён: ничего не записано.
import-progress = ⏳ Импорт: { $done } из { $total } ({ $percent }%), осталось ≈ { $minutes } мин.
import-done =
    ✅ <b>Импорт завершён</b>
    Создано контактов: { $created }
    Дубликатов: { $duplicates }
    С ошибками: { $invalid }
    В файле — результат по каждой строке. Отменить импорт можно в течение 24 часов.
import-stopped =
    ⚠️ <b>Импорт остановлен</b>
    Создано контактов: { $created }; не записано: { $pending }.
    Дубликатов: { $duplicates }; с ошибками: { $invalid }.
    Пришлите файл ещё раз, чтобы загрузить остальное: уже созданные контакты окажутся дубликатами и не задвоятся.
import-btn-undo = ↩️ Отменить импорт
import-undo-expired = Отменить этот импорт уже нельзя: прошло больше 24 часов или он уже отменён.
import-undone = ↩️ Импорт отменён: удалено контактов — { $removed }. Оставлено — { $kept }: с ними уже работали (лиды, сделки, изменения).
