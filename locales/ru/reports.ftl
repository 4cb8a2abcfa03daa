# Reports (/report, «📊 Отчёты»): the dialog, and each report's text.

report-ask-kind = 📊 <b>Отчёты</b>. Выберите отчёт.
report-ask-period = 🗓 За какой период?
report-ask-first-day = 🗓 Выберите первый день периода.
report-ask-last-day = 🗓 Первый день: { $first }. Теперь выберите последний.
report-ask-scope = 👥 Чью работу показать?
report-use-buttons = Выберите вариант кнопкой ниже.
report-err-day-future = Этот день ещё не наступил. Выберите сегодняшний или более ранний день.
report-err-period-long = Период слишком длинный: не больше { $days } дней. Выберите дни заново.
report-name-funnel = 🔻 Воронка
report-name-stuck = 🐢 Где застревают сделки
report-name-managers = 👤 Менеджеры
report-name-discipline = 📏 Дисциплина
report-name-lost = ❌ Причины проигрыша
report-name-forecast = 🔮 Прогноз
report-period-week = Эта неделя
report-period-month = Этот месяц
report-period-last_month = Прошлый месяц
report-period-quarter = Этот квартал
report-period-custom = 🗓 Выбрать дни
report-scope-company = 🏢 Вся компания
report-scope-me = 🙋 Моя работа
report-scope-team = 👥 Команда «{ $name }»
report-scope-user = 👤 { $name }
report-btn-excel = 📥 Excel
report-btn-period = 🗓 Другой период
report-btn-scope = 👥 Другой охват
report-btn-reports = 📊 Все отчёты
report-drill-title = <b>{ $title }</b>
report-drill-empty = Здесь пусто.
report-heading = <b>{ $name }</b>
    { $scope } · { $first } – { $last }
report-series-deals = Сделки
report-col-stage = Этап
report-col-open-deals = Открытых сделок
report-col-amount = Сумма, ₽
report-col-share = Доля
report-funnel-open = 
    <b>Открытые сделки сейчас</b>
report-funnel-stage = • { $stage }: { $deals } · { $amount }
report-funnel-open-total = Всего: { $deals } на { $amount }
report-funnel-created =
    
    <b>Создано за период</b>
    Лиды: { $leads }, из них в сделку — { $converted } ({ $converted_share })
    Сделки: { $deals }, из них выиграно — { $won } ({ $won_share })
report-funnel-closed =
    
    <b>Закрыто за период</b>
    Выиграно: { $won } на { $won_amount }
    Проиграно: { $lost } на { $lost_amount }
    Доля выигранных: { $rate } · средний чек: { $average }
report-funnel-chart = Открытые сделки по этапам · { $scope }
report-funnel-conversion =
    
    <b>Конверсия по этапам</b> (сделки, созданные за период)
report-funnel-step = { $first } → { $second }: { $share } ({ $reached } из { $of })
report-col-reached = Дошли (созданные за период)
report-weekly-title = 📬 <b>Итоги недели</b> · { $first } – { $last }
report-weekly-footer = Подробнее: /report. Отключить еженедельный отчёт можно в /settings.
