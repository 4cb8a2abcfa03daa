## Сделки: /new_deal, карточка сделки, /deals

deal-closed = Сделка уже закрыта (выиграна или проиграна) — изменить её нельзя.
deal-use-buttons = Выберите вариант кнопкой под сообщением или нажмите «✖️ Отмена».
deal-search-none = По запросу «{ $text }» ничего не нашлось. Выберите кнопкой или напишите иначе.
deal-search-shown = Найдено по запросу «{ $text }»:

## Новая сделка

deal-form-title = Новая сделка
deal-ask-lead =
    <b>Новая сделка.</b> Из какого лида делаем сделку?
    Сделку можно сделать из лида, по которому был результативный контакт с развёрнутым комментарием.
deal-btn-pick-lead = 🔎 Выбрать лид
deal-lead-refused-not-open = Этот лид уже закрыт: он конвертирован в сделку или отклонён. Сделку из него не сделать.
deal-lead-refused-no-qualifying-interaction = Из этого лида пока нельзя сделать сделку: нужен результативный контакт с клиентом с развёрнутым комментарием. Запишите его через «📞».
deal-ask-group =
    Клиент: <b>{ $contact }</b>.
    Выберите группу продуктов сделки или напишите её название.
deal-duplicate =
    У клиента { $contact } уже есть открытая сделка №{ $id } в группе «{ $group }» (ответственный: { $responsible }).
    Две открытые сделки одного клиента в одной группе продуктов не допускаются. Выберите другую группу или работайте в существующей сделке.
deal-btn-open-existing = 📂 Открыть существующую сделку
deal-line = • { $product } — { $amount }
deal-no-lines = пока нет товаров
deal-ask-product =
    Выберите товар кнопкой или напишите его название.
    Уже в сделке:
    { $lines }
deal-ask-amount =
    Товар: <b>{ $product }</b>.
    Введите сумму в рублях, например: 150000, 150 000, 150к или 1,5 млн.
    Или количество × цена: 5 × 90 000.
deal-ask-stage = Выберите этап сделки. Отмечен текущий.
deal-ask-comment =
    Развёрнутый комментарий по сделке — о чём говорили и о чём договорились.
    Например: «Клиенту нужны 5 сканеров, ждём согласования бюджета до конца месяца».
deal-comment-current =
    Сейчас:
    <i>{ $current }</i>
deal-ask-responsible = Кто будет ответственным за сделку? Отмечен текущий.
deal-summary =
    <b>Проверьте сделку перед сохранением</b>
    Контакт: { $contact }
deal-summary-row = { $field }: { $value }
deal-value = { $value }
deal-value-none = не указан
deal-value-lines =
    <b>{ $total }</b>
    { $lines }
deal-comment-offered = <i>Взят из результативного контакта по лиду — при необходимости измените.</i>
deal-field-group = Группа продуктов
deal-field-lines = Товары
deal-field-stage = Этап
deal-field-comment = Комментарий
deal-field-responsible = Ответственный
deal-btn-edit-group = ✏️ Группа
deal-btn-edit-lines = ✏️ Товары
deal-btn-edit-stage = ✏️ Этап
deal-btn-edit-comment = ✏️ Комментарий
deal-btn-edit-responsible = ✏️ Ответственный
deal-btn-more-product = ➕ Ещё товар
deal-summary-use-buttons = Сделка ещё не сохранена: нажмите «💾 Сохранить» или измените поле кнопкой «✏️».
deal-choice-inactive = «{ $field }»: выбранное значение отключено администратором. Выберите другое кнопкой «✏️» и сохраните снова.
deal-saved-title = ✅ Сделка сохранена. Лид переведён в статус «Конвертирован в сделку».

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
deal-card-lost-reason = ✖️ Причина: { $reason }
deal-btn-log = 📞 Записать контакт
deal-btn-stage = 🔀 Сменить этап
deal-btn-product = ➕ Товар
deal-btn-task = 🗓 Задача
deal-btn-won = 🏆 Выиграна
deal-btn-lost = ✖️ Проиграна
deal-ask-new-stage = Текущий этап: <b>{ $stage }</b>. Выберите новый этап.
deal-stage-changed = ✅ Этап изменён.
deal-ask-card-product = Какой товар добавить в сделку? Выберите кнопкой или напишите название.
deal-line-added = ✅ Товар добавлен в сделку.
deal-ask-won = Отметить сделку №{ $id } выигранной? После этого её нельзя будет изменить.
deal-btn-won-confirm = 🏆 Да, выиграна
deal-won-saved = 🏆 Поздравляем! Сделка отмечена выигранной.
deal-ask-lost-reason = Почему сделка №{ $id } проиграна? Выберите причину.
deal-ask-lost-text =
    Причина: <b>{ $reason }</b>.
    Если хотите, поясните её своими словами — от { $min } до { $max } символов, например: «Клиент выбрал поставщика с ценой ниже на 15%». Или нажмите «Пропустить».
deal-lost-reason-invalid = Пояснение — от { $min } до { $max } символов. Например: «Клиент выбрал поставщика с ценой ниже на 15%». Или нажмите «Пропустить».
deal-ask-lost =
    Отметить сделку №{ $id } проигранной? После этого её нельзя будет изменить.
    Причина: <i>{ $reason }</i>
deal-btn-lost-confirm = ✖️ Да, проиграна
deal-lost-saved = Сделка отмечена проигранной, причина сохранена.
deal-full-comment = Комментарий сделки №{ $id }

## Список сделок

deal-list =
    📈 <b>{ $scope ->
        [team] Сделки команды
        [all] Все сделки
       *[own] Мои сделки
    }</b> — { $filter }
    { $items }
deal-list-empty = Сделок по этому фильтру нет.
deal-list-item =
    { $icon } №{ $id } { $contact } · { $group } · { $stage } · { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    } · { $amount }{ $owner }
deal-list-item-won = 🏆 №{ $id } { $contact } · { $group } · { $amount } · выиграна { $closed }{ $owner }
deal-list-item-lost =
    ✖️ №{ $id } { $contact } · { $group } · { $amount } · проиграна { $closed }{ $owner }
        Причина: <i>{ $reason }</i>
deal-list-owner = {" "}· 👤 { $owner }
deal-list-total =
    Всего: { $count } { $count ->
        [one] сделка
        [few] сделки
       *[many] сделок
    } на { $amount }
deal-filter-all = Все открытые
deal-filter-active = Активные
deal-filter-risk = Под угрозой
deal-filter-inactive = Неактивные
deal-filter-incorrect = Некорректные
deal-filter-won = Выиграны
deal-filter-lost = Проиграны

## Тексты прежнего пошагового интерфейса сделок (handlers/legacy/deals.py), пока он остаётся в коде

deal-ask-more =
    Товары сделки:
    { $lines }
    Итого: <b>{ $total }</b>
    Добавить ещё товар или перейти дальше?
deal-need-line = Добавьте хотя бы один товар с суммой больше нуля: выберите товар кнопкой ниже.
deal-need-text = Пришлите ответ текстом или нажмите «✖️ Отмена».
deal-lead-not-convertible =
    Этот лид пока нельзя превратить в сделку.
    { $reasons }

## Ожидаемая дата закрытия

deal-field-close_date = Ожидаемая дата закрытия
deal-btn-edit-close_date = ✏️ Дата закрытия
deal-ask-close_date =
    📅 <b>Когда ожидаете закрыть сделку?</b> Выберите день в календаре или напишите: <i>25.12</i>, <i>пт</i>, <i>через 2 недели</i>.
deal-btn-clear-close_date = 🗑 Без даты
deal-card-close_date = 📅 Ожидаемое закрытие: { $value }
deal-empty-close_date = не указана

## The edit of a saved deal («✏️ Изменить»)
deal-btn-edit = ✏️ Изменить
deal-btn-add-line = ➕ Добавить товар
deal-ask-edit =
    ✏️ <b>Что изменить в сделке №{ $id }?</b>
    Нажмите на товар, чтобы изменить его сумму или удалить его.
deal-edit-line-label = ✏️ { $product } — { $amount }
deal-ask-line =
    { $line }
    Изменить сумму этого товара или удалить его из сделки?
deal-btn-line-amount = ✏️ Сумма
deal-btn-line-remove = 🗑 Удалить
deal-ask-card-group = Выберите новую группу товаров для сделки.
deal-ask-group-drop =
    В группе «{ $group }» нет этих товаров сделки, они будут удалены:
    { $lines }
    Сменить группу?
deal-group-drop-all = После смены группы добавьте товар из новой группы: без товара сделка некорректна.
deal-btn-group-confirm = ✅ Сменить группу
deal-ask-card-responsible = Кому передать сделку? Оба сотрудника получат уведомление.
deal-comment-changed = ✅ Комментарий сохранён.
deal-line-changed = ✅ Сумма товара изменена.
deal-line-removed = ✅ Товар удалён из сделки.
deal-group-changed = ✅ Группа товаров изменена.
deal-group-changed-add-line = ✅ Группа товаров изменена. Добавьте товар из новой группы — без него сделка некорректна.
deal-responsible-changed = ✅ Ответственный изменён, оба сотрудника получат уведомление.
deal-last-line = В сделке должен остаться хотя бы один товар. Измените его сумму или сначала добавьте другой товар.
