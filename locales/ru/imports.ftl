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
