## Напоминания и оповещения (отправляются из очереди уведомлений)

reminder-deal-reminder =
    ⏰ Сделка №{ $id } с клиентом { $contact } станет неактивной { $days ->
        [0] после сегодняшнего дня
        [one] через { $days } день
        [few] через { $days } дня
       *[other] через { $days } дней
    }.
    Последний активный день — <b>{ $deadline }</b>. Запишите контакт с клиентом, чтобы продлить сделку.
reminder-deal-inactive =
    ⚠️ Сделка №{ $id } с клиентом { $contact } стала неактивной: последний активный день был { $deadline }.
    Запишите контакт с клиентом, чтобы вернуть её в работу.
reminder-team-entry = №{ $id }: { $manager } — { $contact }, { $amount }
reminder-team-alert =
    ⚠️ Сделка команды стала неактивной:
    { $entry }
reminder-team-digest =
    ⚠️ Неактивные сделки команды за день ({ $count }):
    { $entries }
reminder-and-more = …и ещё { $count }
reminder-deal-incorrect =
    ❗ Сделка №{ $id } с клиентом { $contact } заполнена некорректно и поэтому считается неактивной.
    Не хватает: { $fields }.
reminder-task-about = Клиент: { $contact }
reminder-task-due =
    📌 Пора выполнить задачу: <b>{ $title }</b>
    Срок: { $due }
    { $about }
reminder-digest-title = ☀️ Доброе утро! Ваш план на сегодня.
reminder-digest-overdue =
    <b>Просрочено ({ $count }):</b>
    { $entries }
reminder-digest-today =
    <b>Задачи на сегодня ({ $count }):</b>
    { $entries }
reminder-digest-risky =
    <b>Сделки под угрозой неактивности ({ $count }):</b>
    { $entries }
reminder-digest-wrong =
    <b>Некорректные сделки ({ $count }):</b>
    { $entries }
reminder-digest-task = • { $when } — { $title }
reminder-digest-task-about = • { $when } — { $title } ({ $contact })
reminder-digest-risk = • №{ $id } { $contact }: осталось { $days } дн., до { $deadline }
reminder-digest-incorrect = • №{ $id } { $contact }: не хватает — { $fields }
reminder-user-unreachable =
    🚫 { $name } заблокировал(а) бота: напоминания ему (ей) больше не доставляются.
    Пожалуйста, свяжитесь с сотрудником и попросите снова открыть чат с ботом.
reminder-btn-log = 📞 Записать контакт
reminder-btn-open-deal = 📂 Открыть сделку
reminder-btn-open-deal-n = 📂 Сделка №{ $id }
reminder-btn-lost = ✖️ Отметить проигранной
reminder-btn-task-done = ✅ Выполнено
reminder-btn-open = 📂 Открыть
reminder-btn-plan = 📅 План на день
reminder-deal-reassigned-to-you = 👤 Вам передана сделка №{ $id } с клиентом { $contact } (передал: { $by }).
reminder-deal-reassigned-away = 👤 Сделка №{ $id } с клиентом { $contact } передана другому ответственному: { $to } (передал: { $by }).
