## Сделки: /new_deal, карточка сделки, /deals

deal-closed = Сделка уже закрыта (выиграна или проиграна) — изменить её нельзя.
deal-use-buttons = Выберите вариант кнопкой под сообщением или нажмите «✖️ Отмена».
deal-need-text = Пришлите ответ текстом или нажмите «✖️ Отмена».

## Новая сделка

deal-no-leads =
    У вас нет открытых лидов, из которых можно сделать сделку.
    Сначала создайте лид: /new_lead
deal-ask-lead =
    <b>Новая сделка.</b> Шаг 1: из какого лида делаем сделку?
    🔒 — по лиду ещё нет результативного контакта с развёрнутым комментарием, конвертировать его пока нельзя.
deal-lead-not-convertible =
    Этот лид пока нельзя превратить в сделку.
    { $reasons }
deal-ask-group =
    Клиент: <b>{ $contact }</b>.
    Шаг 2: выберите группу продуктов сделки.
deal-duplicate =
    У клиента { $contact } уже есть открытая сделка №{ $id } в группе «{ $group }» (ответственный: { $responsible }).
    Две открытые сделки одного клиента в одной группе продуктов не допускаются. Выберите другую группу или работайте в существующей сделке.
deal-btn-open-existing = 📂 Открыть существующую сделку
deal-line = • { $product } — { $amount }
deal-no-lines = пока нет товаров
deal-ask-product =
    Шаг 3: выберите товар.
    Уже в сделке:
    { $lines }
deal-ask-amount =
    Товар: <b>{ $product }</b>.
    Введите сумму в рублях, например: 150000, 150 000, 150к или 1,5 млн.
deal-ask-more =
    Товары сделки:
    { $lines }
    Итого: <b>{ $total }</b>
    Добавить ещё товар или перейти дальше?
deal-btn-more-product = ➕ Ещё товар
deal-need-line = Добавьте хотя бы один товар с суммой больше нуля: выберите товар кнопкой ниже.
deal-ask-stage =
    Шаг 4: этап сделки. Сейчас выбран: <b>{ $stage }</b>.
    Выберите другой кнопкой или нажмите «Пропустить», чтобы оставить этот.
deal-ask-comment =
    Шаг 5: развёрнутый комментарий по сделке — о чём говорили и о чём договорились.
    Например: «Клиенту нужны 5 сканеров, ждём согласования бюджета до конца месяца».
deal-comment-too-long = Комментарий слишком длинный: не больше { $max } символов. Сократите, пожалуйста.
deal-ask-responsible =
    Шаг 6: ответственный за сделку. Сейчас: <b>{ $name }</b>.
    Выберите сотрудника или нажмите «Пропустить».
deal-summary =
    <b>Проверьте сделку перед сохранением</b>
    Контакт: { $contact }
    Группа продуктов: { $group }
    Товары:
    { $lines }
    Итого: <b>{ $total }</b>
    Этап: { $stage }
    Комментарий: { $comment }
    Ответственный: { $responsible }
deal-btn-edit-group = ✏️ Группа
deal-btn-edit-lines = ✏️ Товары
deal-btn-edit-stage = ✏️ Этап
deal-btn-edit-comment = ✏️ Комментарий
deal-btn-edit-resp = ✏️ Ответственный
deal-saved = Сделка №{ $id } сохранена. Лид переведён в статус «Конвертирован в сделку».

## Карточка сделки

deal-card-title = 💼 <b>Сделка №{ $id }</b> · { $status }
deal-card-contact = 👤 Контакт: { $name }
deal-card-group = 📦 Группа продуктов: { $group }
deal-card-stage = 🧭 Этап: { $stage }
deal-card-lines =
    🧾 Товары:
    { $lines }
deal-card-total = 💰 Итого: <b>{ $total }</b>
deal-card-responsible = 🙋 Ответственный: { $name }
deal-card-comment = 💬 Комментарий: { $comment }
deal-card-correct = ✅ Сделка заполнена корректно
deal-card-incorrect = ⚠️ Сделка некорректна, не заполнено: { $fields }
deal-card-active =
    🟢 Активна до { $deadline } включительно — { $days ->
        [one] остался { $days } день
        [few] осталось { $days } дня
       *[many] осталось { $days } дней
    }
deal-card-inactive-overdue =
    💤 Неактивна: срок активности истёк { $deadline } ({ $days ->
        [one] { $days } день назад
        [few] { $days } дня назад
       *[many] { $days } дней назад
    }). Запишите результативный контакт с клиентом.
deal-card-inactive-incorrect = 💤 Неактивна, пока сделка некорректна (срок активности — до { $deadline })
deal-card-closed-at = 🏁 Закрыта: { $at }
deal-card-lost-reason = ✖️ Причина отказа: { $reason }
deal-btn-log = 📞 Записать контакт
deal-btn-stage = 🔀 Сменить этап
deal-btn-product = ➕ Товар
deal-btn-task = 🗓 Задача
deal-btn-won = 🏆 Выиграна
deal-btn-lost = ✖️ Проиграна
deal-ask-new-stage = Текущий этап: <b>{ $stage }</b>. Выберите новый этап.
deal-stage-changed = Этап изменён.
deal-ask-card-product = Какой товар добавить в сделку? Выберите кнопкой.
deal-line-added = Товар добавлен в сделку.
deal-ask-won = Отметить сделку №{ $id } выигранной? После этого её нельзя будет изменить.
deal-btn-won-confirm = 🏆 Да, выиграна
deal-won-saved = Поздравляем! Сделка отмечена выигранной.
deal-ask-lost-reason =
    Почему сделка проиграна? Напишите причину отказа.
    Например: «Клиент выбрал поставщика с ценой ниже на 15%».
deal-lost-reason-invalid = Причина — от { $min } до { $max } символов. Например: «Клиент выбрал поставщика с ценой ниже на 15%».
deal-lost-saved = Сделка отмечена проигранной, причина сохранена.

## Список сделок

deal-list =
    📈 <b>Мои сделки</b> — { $filter }
    { $items }
deal-list-empty = Сделок по этому фильтру нет.
deal-list-item =
    { $icon } №{ $id } { $contact } · { $group } · { $stage } · { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }
deal-filter-all = Все открытые
deal-filter-active = Активные
deal-filter-risk = Под угрозой
deal-filter-inactive = Неактивные
deal-filter-incorrect = Некорректные
deal-choice-inactive = «{ $field }»: выбранное значение отключено администратором. Выберите другое на сводке и сохраните снова.
deal-full-comment = Комментарий сделки №{ $id }
