## Лиды: /new_lead, карточка лида, /leads

lead-form-title = Новый лид
lead-refusal-title = Отказ по лиду

lead-use-buttons = Выберите вариант кнопкой под сообщением или нажмите «✖️ Отмена».

lead-option = { $name }

## Контакт

lead-ask-contact =
    <b>Новый лид.</b> Для какого контакта?
    Выберите кнопкой, напишите часть ФИО или телефона для поиска или создайте новый контакт.

lead-btn-new-contact = ➕ Новый контакт

lead-btn-recent = 🕘 Недавние

lead-search-too-short = Слишком короткий запрос: нужно хотя бы 2 символа. Например: <i>Иванов</i> или <i>912 345</i>.

lead-search-none =
    По запросу «{ $query }» среди ваших контактов никого нет.
    Попробуйте иначе, например только фамилию или последние цифры телефона, или создайте новый контакт.

lead-search-found = Нашлось по запросу «{ $query }» — выберите контакт:

lead-contact-option = { $name }, { $phone }

lead-recent-none = Недавних контактов пока нет. Напишите ФИО или телефон контакта или создайте новый.

lead-recent-found = Недавние контакты:

## Источник, группа, ответственный

lead-ask-source =
    Контакт: <b>{ $contact }</b>.
    Откуда пришёл лид? Выберите источник, например «Сайт».

lead-ask-group = Какая группа продуктов интересует клиента? Выберите её или нажмите «Пропустить», если пока неясно.

lead-group-none = не указана

lead-ask-responsible = Кто будет ответственным за лид? По умолчанию — вы.

lead-btn-myself = 🙋 Я сам(а)

lead-choice-filtered = Показаны подходящие варианты.

lead-choice-none = Среди вариантов нет «{ $query }». Выберите кнопкой ниже.

lead-btn-show-all = Показать все

## Запрос

lead-ask-description =
    Опишите запрос клиента: что нужно, объём, сроки — от { $min } до { $max } символов.
    Например: <i>Нужны 3 сканера штрихкодов для склада, запуск в марте</i>.

lead-description-too-short =
    Слишком коротко: нужно от { $min } до { $max } символов, а сейчас { $length }.
    Например: <i>Нужны 3 сканера штрихкодов для склада, запуск в марте</i>.

## Проверка и сохранение

lead-summary =
    <b>Проверьте лид перед сохранением</b>
    Контакт: <b>{ $contact }</b>
    Источник: { $source }
    Группа продуктов: { $group }
    Запрос: { $description }
    Ответственный: { $responsible }

lead-field-contact = Контакт
lead-field-source = Источник
lead-field-group = Группа
lead-field-description = Запрос
lead-field-responsible = Ответственный

lead-btn-edit = ✏️ { $field }

lead-save-failed = Не удалось сохранить: источник, группа или ответственный больше недоступны. Измените поле и сохраните снова.

lead-saved = ✅ Лид создан.

lead-assigned-notice = { $by } назначил(а) вас ответственным за лид №{ $id }: { $contact }.

lead-btn-open = Открыть лид

## Карточка

lead-card =
    <b>Лид №{ $id }</b> — { $status }
    Контакт: <b>{ $contact }</b>, { $phone }
    Источник: { $source }
    Группа продуктов: { $group }
    Запрос: { $description }
    Ответственный: { $responsible }
    Создан: { $created }
    Контактов с клиентом: { $interactions }

lead-card-qualifying = Последний результативный контакт: { $kind }, { $at }

lead-card-qualifying-none = Результативного контакта ещё не было — без него лид не перевести в сделку.

lead-card-reject-reason = Причина отказа: { $reason }

lead-btn-log = 📞 Записать контакт

lead-btn-convert = 💼 Сделка

lead-btn-task = ✅ Задача

lead-btn-reject = ✖️ Отказ

lead-btn-reassign = 👥 Переназначить

lead-full-description = Описание лида №{ $id }

lead-ask-reassign = Кому передать лид №{ $id }?

lead-reassign-nobody = Передать некому: в команде нет других активных сотрудников.

lead-reassigned = Лид передан. Новый ответственный: { $name }.

## Отказ

lead-ask-reject-reason = Отказ по лиду №{ $id }. Почему лид отклоняется? Выберите причину.

lead-ask-reject-text =
    Отказ по лиду №{ $id }. Причина: <b>{ $reason }</b>.
    Если хотите, поясните её своими словами — от { $min } до { $max } символов, например: <i>Купили у конкурента дешевле</i>. Или нажмите «Пропустить».

lead-reject-reason-invalid =
    Пояснение — от { $min } до { $max } символов текстом.
    Например: <i>Купили у конкурента дешевле</i>. Или нажмите «Пропустить».

lead-reject-confirm =
    Отклонить лид №{ $id }? Отменить это будет нельзя.
    Причина: { $reason }

lead-btn-reject-confirm = ✖️ Да, отклонить лид

lead-rejected = Лид отклонён, причина сохранена.

## Список

lead-list-title = <b>Лиды</b>, страница { $page }. Открытые — сверху.

lead-list-empty = Лидов пока нет. Создать: /new_lead

lead-list-button = №{ $id } { $name } — { $status }

## Прежние экраны лидов (пока их модуль не удалён)

lead-text-expected = Пришлите ответ обычным текстом.

lead-btn-find = 🔎 Найти

lead-ask-search = Напишите часть ФИО или телефона. Например: <i>Иванов</i> или <i>912 345</i>.

lead-card-last-none = ещё не было

lead-card-last = { $kind }, { $at }

## Изменение сохранённого лида

lead-btn-edit-card = ✏️ Изменить
lead-edit-title = ✏️ <b>Изменение лида.</b> Нажмите «✏️» у поля, затем «💾 Сохранить».
lead-edited = ✅ <b>Изменения сохранены.</b>
lead-edit-unchanged = Ничего не изменилось.
lead-edit-closed = Лид уже закрыт (превращён в сделку или отклонён) — изменить его нельзя.
