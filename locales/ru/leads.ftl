## Лиды: /new_lead, карточка лида, /leads


lead-use-buttons = Выберите вариант кнопкой под сообщением выше или нажмите «✖️ Отмена».

lead-text-expected = Пришлите ответ обычным текстом.

lead-option = { $name }

lead-ask-contact =
    <b>Новый лид.</b> Для какого контакта?
    Найдите контакт по имени или телефону, выберите из недавних или создайте новый.

lead-btn-find = 🔎 Найти

lead-btn-recent = 🕘 Недавние

lead-btn-new-contact = ➕ Новый контакт

lead-ask-search = Напишите часть ФИО или телефона. Например: <i>Иванов</i> или <i>912 345</i>.

lead-search-too-short = Слишком короткий запрос: нужно хотя бы 2 символа. Например: <i>Иванов</i> или <i>912 345</i>.

lead-search-none =
    По запросу «{ $query }» среди ваших контактов никого нет.
    Попробуйте иначе, например только фамилию или последние цифры телефона, или создайте новый контакт.

lead-search-found = Вот кого нашёл. Выберите контакт:

lead-contact-option = { $name }, { $phone }

lead-recent-none = Недавних контактов пока нет. Найдите контакт или создайте новый.

lead-recent-found = Недавние контакты. Выберите нужный:


lead-ask-source =
    Контакт: <b>{ $contact }</b>.
    Откуда пришёл лид? Выберите источник, например «Сайт».

lead-ask-group = Какая группа продуктов интересует клиента? Выберите её или нажмите «Пропустить», если пока неясно.

lead-group-none = не указана

lead-ask-description =
    Опишите запрос клиента: что нужно, объём, сроки — от { $min } до { $max } символов.
    Например: <i>Нужны 3 сканера штрихкодов для склада, запуск в марте</i>.

lead-description-too-short =
    Слишком коротко: нужно от { $min } до { $max } символов, а сейчас { $length }.
    Например: <i>Нужны 3 сканера штрихкодов для склада, запуск в марте</i>.

lead-description-too-long = Слишком длинно: не больше { $max } символов, а сейчас { $length }. Сократите описание (минимум { $min }).

lead-ask-responsible = Кто будет ответственным за лид? По умолчанию — вы.

lead-btn-myself = 🙋 Я сам(а)

lead-summary =
    <b>Проверьте лид перед сохранением</b>
    Контакт: <b>{ $contact }</b>
    Источник: { $source }
    Группа продуктов: { $group }
    Запрос: { $description }
    Ответственный: { $responsible }

lead-btn-edit-contact = ✏️ Контакт

lead-btn-edit-source = ✏️ Источник

lead-btn-edit-group = ✏️ Группа

lead-btn-edit-description = ✏️ Запрос

lead-btn-edit-responsible = ✏️ Ответственный

lead-save-failed = Не удалось сохранить: контакт, источник или ответственный больше недоступны. Измените поле и сохраните снова.

lead-saved = ✅ Лид создан.

lead-assigned-notice = { $by } назначил(а) вас ответственным за лид №{ $id }: { $contact }.

lead-btn-open = Открыть лид

lead-card =
    <b>Лид №{ $id }</b> — { $status }
    Контакт: <b>{ $contact }</b>, { $phone }
    Источник: { $source }
    Группа продуктов: { $group }
    Запрос: { $description }
    Ответственный: { $responsible }
    Создан: { $created }
    Контактов с клиентом: { $interactions }; последний результативный: { $last }

lead-card-last = { $kind }, { $at }

lead-card-last-none = ещё не было

lead-card-reject-reason = Причина отказа: { $reason }

lead-btn-log = 📞 Записать контакт

lead-btn-convert = 💼 В сделку

lead-btn-task = 🗓 Задача
lead-btn-reject = ✖️ Отказ

lead-btn-reassign = 👥 Переназначить

lead-ask-reject-reason =
    Почему клиент отказался? Напишите причину — от { $min } до { $max } символов.
    Например: <i>Купили у конкурента дешевле</i>.

lead-reject-reason-invalid =
    Причина отказа — от { $min } до { $max } символов текстом.
    Например: <i>Купили у конкурента дешевле</i>.

lead-rejected = Лид отклонён, причина сохранена.

lead-ask-reassign = Кому передать лид №{ $id }?

lead-reassign-nobody = Передать некому: в команде нет других активных сотрудников.

lead-reassigned = Лид передан. Новый ответственный: { $name }.

lead-list-title = <b>Лиды</b>, страница { $page }. Открытые — сверху.

lead-list-empty = Лидов пока нет. Создать: /new_lead

lead-list-button = №{ $id } { $name } — { $status }
lead-full-description = Описание лида №{ $id }
