## План на день (/today) и очередь уведомлений для администраторов (/outbox)

today-title = 📅 <b>План на { $date }</b>
today-empty =
    На сегодня ничего не запланировано: нет задач, просроченных дел и сделок под угрозой. Хорошего дня! ☀️
    Задачу можно добавить кнопкой «➕ Задача» ниже или из карточки сделки, лида или клиента.
today-overdue-header = ⏰ <b>Просрочено ({ $count })</b>
today-today-header = 📌 <b>Задачи на сегодня ({ $count })</b>
today-risk-header = ⚠️ <b>Сделки под угрозой неактивности ({ $count })</b>
today-task-line = { $n }. { $when } — { $title }
today-task-line-about = { $n }. { $when } — { $title } ({ $contact })
today-deal-line = { $n }. Сделка №{ $id }, { $contact }: осталось { $days } дн., последний активный день — { $deadline }
today-more = …и ещё { $count }
today-legend = Кнопки под списком: ✅ — выполнено, 🕒 — перенести, 📂 — открыть. Число — номер строки.
today-btn-done = ✅ { $n }
today-btn-resched = 🕒 { $n }
today-btn-new-task = ➕ Задача
today-btn-open = 📂 { $n }
today-task-done = ✅ Задача выполнена
today-task-done-title = ✅ Задача «{ $title }» отмечена выполненной.
today-task-gone = Эта задача уже выполнена или удалена. Ничего не изменено.
today-task-already-done = Эта задача уже выполнена. Ничего не изменено.
today-ask-due =
    На когда перенести задачу «{ $title }»?
    Напишите дату и время, например: <i>завтра 10:00</i>, <i>пт 15:00</i>, <i>25.12 10:30</i> или <i>через 2 дня</i>.
today-need-text = Пожалуйста, напишите дату и время текстом, например: завтра 10:00.
today-access-denied = Нет доступа: это задача другого сотрудника. Ничего не изменено.
today-use-buttons = Выберите действие кнопкой под планом: ✅ — выполнено, 🕒 — перенести, 📂 — открыть.
today-rescheduled = 🕒 Задача «{ $title }» перенесена на { $when }.
today-outbox-none = 📮 Все уведомления доставлены: неудачных отправок нет.
today-outbox-title = 📮 Не доставлено уведомлений: <b>{ $count }</b>. Последние:
today-outbox-line = • #{ $id } { $kind } → пользователь { $recipient }, попыток: { $attempts }. { $error }
today-outbox-btn-retry = 🔁 Отправить заново
today-outbox-retried = Вернули в очередь: { $count }

## Вкладки плана

today-tab = { $label }
today-tab-current = · { $label } ·
today-tab-today = 📌 Сегодня
today-tab-week = 🗓 Неделя
today-tab-overdue = ⏰ Просрочено
today-week-title = 🗓 <b>Неделя: { $start } – { $end }</b>
today-week-day = <b>{ $weekday }, { $date }</b>
today-week-empty = На ближайшие 7 дней задач нет.
today-overdue-title = ⏰ <b>Просроченные задачи ({ $count })</b>
today-overdue-empty = Просроченных задач нет. 👍
