## Записать контакт с клиентом: /log

interaction-form-title = Запись контакта

interaction-ask-subject = <b>Записать контакт с клиентом.</b> По какому лиду или сделке?

interaction-btn-pick = 📋 Выбрать лид или сделку

interaction-use-buttons = Выберите вариант кнопкой под сообщением или нажмите «✖️ Отмена».

interaction-ask-kind = Что было и чем закончилось?

interaction-choice-call-reached = 📞 Дозвонился
interaction-choice-call-not-reached = 📞 Не дозвонился
interaction-choice-mail-replied = ✉️ Ответил
interaction-choice-mail-no-reply = ✉️ Без ответа
interaction-choice-meeting-held = 🤝 Встреча

interaction-ask-discussed =
    <b>О чём говорили?</b> Хотя бы 3 слова по существу.
    Например: <i>Обсудили поставку 20 сканеров, клиенту важна цена и сроки</i>.

interaction-ask-agreed =
    <b>О чём договорились / следующий шаг?</b> Не повторяйте предыдущий ответ.
    Например: <i>Отправляю КП до пятницы, созвон в понедельник</i>.

## Сводка перед сохранением

interaction-summary =
    <b>Проверьте запись контакта</b>
    { $subject }
    Вид: { $kind }
    Итог: { $outcome }
    О чём говорили: { $discussed }
    О чём договорились: { $agreed }
    Следующий шаг: { $due }
    { $verdict }
    Всё верно? Нажмите «💾 Сохранить» или «✏️» у того, что нужно изменить.

interaction-summary-lead = Лид №{ $id }, { $name }

interaction-summary-deal = Сделка №{ $id }, { $name }

interaction-value-none = —

interaction-verdict-qualifying-lead = ✅ Будет засчитан как <b>результативный контакт</b> по лиду.

interaction-verdict-qualifying-deal = ✅ Будет засчитан как <b>результативный контакт</b>: срок активности сделки начнётся заново.

interaction-verdict-not-qualifying = ⚠️ Это <b>не результативный</b> контакт: он не будет засчитан и не продлит сделку.

interaction-summary-use-buttons = Проверьте запись и нажмите кнопку: «💾 Сохранить» или «✏️» у того, что нужно изменить.

interaction-btn-edit-kind = ✏️ Вид и итог

interaction-btn-edit-discussed = ✏️ О чём говорили

interaction-btn-edit-agreed = ✏️ О чём договорились

interaction-btn-edit-due = ✏️ Следующий шаг

interaction-btn-next-step = 📌 Следующий шаг…

interaction-btn-call-back = 🔁 Перезвонить…

interaction-btn-remind = 📌 Напомнить…

interaction-task-call-back = Перезвонить

interaction-task-remind = Напомнить о себе

## Сохранение

interaction-saved-qualifying-lead = ✅ Записано. Это результативный контакт: он засчитан по лиду.

interaction-saved-qualifying-deal = ✅ Записано. Это результативный контакт: срок активности сделки отсчитывается заново.

interaction-saved-not-qualifying =
    Записано: { $kind } — { $outcome }.
    Это <b>не результативный</b> контакт: он не засчитывается и не продлевает сделку.

interaction-task-created = 📌 Дело на { $due } создано.

interaction-btn-open-lead = 📋 Открыть лид №{ $id }

interaction-btn-open-deal = 💼 Открыть сделку №{ $id }

## Прежние шаги записи контакта

interaction-access-denied = Нет доступа: записывать контакты может только ответственный менеджер, его руководитель или администратор. Ничего не изменено.

interaction-comment-invalid =
    <b>{ $part }</b>: { $reason }

interaction-text-expected = Пришлите ответ обычным текстом.

interaction-btn-my-leads = Мои открытые лиды

interaction-btn-my-deals = Мои открытые сделки

interaction-ask-outcome = { $kind }: чем закончилось?

interaction-ask-due =
    Когда следующий шаг? Создам дело с напоминанием.
    Например: <i>завтра в 15:00</i>, <i>пт 11:00</i>, <i>через 3 дня</i>, <i>25.12 10:30</i>. Или нажмите «Пропустить».

interaction-due-invalid =
    { $reason }
    Или нажмите «Пропустить», если дату пока не назначили.

interaction-due-current = Сейчас: { $due }. Чтобы убрать дату, нажмите «Пропустить».
