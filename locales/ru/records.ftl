## История и документы на карточках (контакт, клиент, контрагент, лид, сделка)

records-btn-history = 🕘 История
records-btn-documents = 📎 Документы ({ $count })
records-btn-attach = 📎 Прикрепить
records-btn-to-card = ↩️ Назад к карточке
records-page = Страница { $page } из { $pages }

## Как называется карточка в сообщениях

records-card-contact = контакт { $name }
records-card-client = клиент «{ $name }»
records-card-counterparty = контрагент «{ $name }»
records-card-lead = лид №{ $name }
records-card-deal = сделка №{ $name }

## История

records-history-title-contact = 🕘 <b>История контакта { $name }</b>
records-history-title-client = 🕘 <b>История клиента «{ $name }»</b>
records-history-title-counterparty = 🕘 <b>История контрагента «{ $name }»</b>
records-history-title-lead = 🕘 <b>История лида №{ $name }</b>
records-history-title-deal = 🕘 <b>История сделки №{ $name }</b>
records-history-empty = Записей пока нет.
records-history-entry =
    <b>{ $at }</b> · { $who }
    { $action }
records-history-change = • { $field }: { $before } → { $after }
records-history-value = • { $field }: { $value }
records-history-more = • …и ещё изменений: { $count }
records-author-system = Система
records-history-entry-on =
    <b>{ $at }</b> · { $who } · { $subject }
    { $action }

## Контакты с клиентом в истории (R1d, R1e, R3)

records-interaction = { $kind } • { $outcome } • { $verdict }
records-kind-call = 📞 Звонок
records-kind-correspondence = ✉️ Переписка
records-kind-meeting = 📍 Встреча
records-outcome-reached = Дозвонился
records-outcome-not_reached = Не дозвонился
records-outcome-replied = Клиент ответил
records-outcome-no_reply = Клиент не ответил
records-outcome-held = Встреча состоялась
records-outcome-not_held = Встреча не состоялась
records-verdict-qualifying = ✅ Квалифицирующее
records-verdict-not-qualifying = ❌ Не квалифицирует: { $why }
records-why-not_reached = разговора с клиентом не было
records-why-no_reply = клиент не ответил, а без ответа это не переписка
records-why-not_held = встречи не было
records-why-comment = комментарий не развёрнут ({ $reasons })
records-why-part = { $part }: { $reason }
records-part-discussed = «о чём говорили»
records-part-agreed = «о чём договорились»
records-why-err-comment-empty = пусто
records-why-err-comment-stop-phrase = только «{ $phrase }»
records-why-err-comment-too-short = мало слов по существу ({ $words } из { $min_words })
records-why-err-comment-no-words = нет ни одного слова по существу
records-why-err-comment-repeats = повторяет, о чём говорили
records-why-other = вид или итог контакта не распознан
records-why-at-save = не засчитано при записи
records-discussed = 💬 Обсудили: { $text }
records-agreed = 🤝 Договорились: { $text }
records-next-step = 📌 Следующий шаг: «{ $title }», { $due }

records-action-created = 🆕 Запись создана
records-action-created-contact = 🆕 Контакт создан
records-action-created-client = 🆕 Клиент создан
records-action-created-counterparty = 🆕 Контрагент создан
records-action-created-lead = 🆕 Лид создан
records-action-created-deal = 🆕 Сделка создана
records-action-edited = ✏️ Изменены данные
records-action-stage_changed = 🔀 Этап изменён
records-action-line_added = ➕ Добавлен товар
records-action-task_added = 🗓 Поставлена задача
records-action-task_done = ✅ Задача выполнена
records-action-task_rescheduled = 🕑 Задача перенесена
records-action-won = 🏆 Сделка выиграна
records-action-lost = ✖️ Сделка проиграна
records-action-rejected = ✖️ Лид отклонён
records-action-converted = 🔁 Конвертация
records-action-converted-lead = 💼 Лид конвертирован в сделку
records-action-converted-client = 🏢 Клиент переведён в контрагенты
records-action-reassigned = 👥 Сменился ответственный
records-action-interaction = 📞 Контакт с клиентом
records-action-route_requested = 📨 Маршрут: отправлен на согласование
records-action-route_approved = ✅ Маршрут: одобрен
records-action-route_rejected = ✖️ Маршрут: отклонён
records-action-route_withdrawn = ↩️ Маршрут: отозван
records-action-document_attached = 📎 Прикреплён файл
records-action-unknown = ⚙️ Действие «{ $code }»

## Названия полей в истории

records-field-full_name = ФИО
records-field-phone = Телефон
records-field-birth_date = Дата рождения
records-field-email = E-mail
records-field-position = Должность
records-field-client_id = Клиент
records-field-contact_id = Контакт
records-field-contact_ids = Контактные лица
records-field-responsible_id = Ответственный
records-field-source_id = Источник
records-field-product_group_id = Группа продуктов
records-field-status = Статус
records-field-reason = Причина
records-field-reject_reason = Пояснение к причине
records-field-lost_reason = Пояснение к причине
records-field-name = Название
records-field-industry_id = Отрасль
records-field-region_id = Бизнес-регион
records-field-marked_lost = Отмечен потерянным
records-field-legal_name = Юридическое наименование
records-field-inn = ИНН
records-field-kpp = КПП
records-field-kind = Вид
records-field-stage_id = Этап
records-field-stage = Этап
records-field-lead_id = Лид
records-field-deal_id = Сделка
records-field-lines = Товаров
records-field-product = Товар
records-field-amount_minor = Сумма
records-field-task_id = Задача
records-field-due_at = Срок
records-field-done_at = Выполнена
records-field-outcome = Результат
records-field-qualifying = Результативный
records-field-counterparty_id = Контрагент
records-field-approver_id = Согласующий
records-field-requester_id = Инициатор
records-field-comment = Комментарий
records-field-description = Запрос
records-field-media = Тип
records-field-file_name = Файл
records-field-file_size = Размер

records-value-none = —
records-value-yes = да
records-value-no = нет
records-value-task = «{ $title }»
records-status-pending = на согласовании
records-status-approved = одобрен
records-status-rejected = отклонён
records-status-withdrawn = отозван

## Документы

records-media-document = Документ
records-media-photo = Фото
records-media-voice = Голосовое сообщение
records-size-kb = { $size } КБ
records-size-mb = { $size } МБ
records-documents-title = 📎 <b>Документы: { $card }</b>
records-documents-empty = Документов пока нет. Нажмите «📎 Прикрепить» и отправьте файл, фото или голосовое сообщение.
records-document-item = { $n }. { $icon } { $name } · { $size } · { $author } · { $at }
records-btn-document = { $n }. { $icon } { $name }
records-document-caption = 📎 { $name } — { $card }. Прикрепил(а): { $author }, { $at }
records-ask-file =
    Отправьте документ, фото или голосовое сообщение — оно будет прикреплено: { $card }.
    Например, файл «КП.pdf» или снимок договора. Для отмены нажмите «✖️ Отмена».
records-file-expected =
    Сейчас я жду файл: документ, фото или голосовое сообщение (например, «КП.pdf»).
    Отправьте его или нажмите «✖️ Отмена».
records-use-buttons = Здесь можно отправить файл — он будет прикреплён к карточке — или выбрать действие кнопкой ниже.
records-attached = 📎 Файл «{ $name }» прикреплён: { $card }.
records-no-open-card =
    Не понял, к чему прикрепить файл. Сначала откройте карточку — контакта, клиента, контрагента, лида
    или сделки, — затем отправьте файл или нажмите на карточке «📎 Прикрепить».
records-attach-denied-act =
    Нельзя прикрепить файл: эта запись закреплена за другим сотрудником. Прикреплять файлы может
    ответственный менеджер, его руководитель или администратор. Ничего не сохранено.
records-attach-denied-see = Нельзя прикрепить файл: эта карточка вам недоступна. Ничего не сохранено.

## Карточка контрагента

records-btn-counterparty = 🏢 Карточка контрагента
records-btn-counterparty-client = 🏢 Клиент «{ $name }»
records-counterparty-card =
    🏢 <b>Контрагент { $legal_name }</b>
    ИНН: { $inn }
    КПП: { $kpp }
    Вид: { $kind }
    Клиент: { $client }
