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
report-series-median = Медиана
report-series-p90 = 90-й перцентиль
report-col-median-days = Медиана, дн.
report-col-p90-days = 90-й перцентиль, дн.
report-col-stuck-now = Застряло сейчас
report-col-lost-here = Проиграно здесь
report-col-deal = Сделка №
report-col-contact = Контакт
report-col-days-in-stage = Дней на этапе
report-stuck-empty =
    
    За этот период сделки не проходили через этапы, застрявших и проигранных сделок нет.
report-stuck-stages =
    
    <b>Дни на этапе</b> (медиана / 90-й перцентиль), застряло сейчас, проиграно на этапе за период
report-stuck-stage = • { $stage }: { $median } / { $p90 } дн. · застряло: { $stuck } · проиграно: { $lost }
report-stuck-stage-unknown = Этап неизвестен
report-stuck-lost-unknown = • Проиграно без истории этапов: { $lost }
report-stuck-total =
    
    Застрявших сделок сейчас: { $stuck } — дольше срока этапа, а если он не задан, дольше медианы этапа.
report-stuck-more = Ниже — самые долгие; ещё { $more } не показаны.
report-stuck-deal = #{ $id } { $contact } · { $stage } · { $days } дн.
report-stuck-chart = Дни на этапе · { $scope }
report-series-weighted = С учётом вероятности
report-series-amount = Полная сумма
report-col-month = Месяц
report-col-deals = Сделок
report-col-weighted = С учётом вероятности, ₽
report-forecast-heading = <b>{ $name }</b>
    { $scope } · на { $today }, от текущего месяца вперёд (выбранный период на прогноз не влияет)
report-forecast-empty =
    
    Открытых сделок нет — прогнозировать нечего.
report-forecast-months =
    
    <b>Открытые сделки по ожидаемому месяцу закрытия</b>
    (сделок · сумма · с учётом вероятности этапа)
report-forecast-month = • { $month }: { $deals } · { $amount } · { $weighted }
report-forecast-overdue = • ⚠️ { $month }: { $deals } · { $amount } · { $weighted }
report-forecast-overdue-label = Просрочена дата
report-forecast-undated-label = Без ожидаемой даты
report-forecast-later = Позже
report-forecast-total = Всего с датой: { $deals } на { $amount }, с учётом вероятности — { $weighted }
report-forecast-undated =
    
    ⚠️ Без ожидаемой даты закрытия: { $deals } на { $amount }. В прогноз по месяцам они не вошли — укажите даты в карточках, чтобы прогноз был полным.
report-forecast-chart = Прогноз по месяцам · { $scope }
report-others = прочие ({ $count })
report-series-won = Выиграно, тыс. ₽
report-series-lost = Проиграно, тыс. ₽
report-series-violations = Нарушения
report-col-manager = Менеджер
report-col-interactions = Взаимодействий
report-col-qualifying = Квалифицирующих
report-col-qualifying-share = Доля квалифицирующих
report-col-leads-created = Лидов создано
report-col-leads-converted = Лидов в сделку
report-col-leads-refused = Лидов в отказ
report-col-won = Выиграно сделок
report-col-won-amount = Выиграно, ₽
report-col-lost = Проиграно сделок
report-col-lost-amount = Проиграно, ₽
report-col-open-amount = В работе, ₽
report-col-overdue-tasks = Просроченных дел
report-col-incorrect = Некорректных сделок
report-col-inactive = Стали неактивными
report-col-refused-r3 = Отказов по комментарию (R3)
report-col-refused-r5 = Отказов по дублю (R5)
report-col-stale-leads = Лидов без взаимодействий дольше { $days } дн.
report-col-violations = Всего нарушений
report-managers-none = В этом охвате нет менеджеров.
report-managers-row =
    
    👤 <b>{ $name }</b>
    Взаимодействия: { $interactions }, квалифицирующих — { $qualifying } ({ $qualifying_share })
    Лиды: { $leads }, в сделку — { $converted }, в отказ — { $refused }
    Выиграно: { $won } на { $won_amount } · проиграно: { $lost } на { $lost_amount }
    В работе: { $open } на { $open_amount } · просроченных дел: { $overdue }
report-managers-chart = Выигранные и проигранные суммы, тыс. ₽ · { $scope }
report-discipline-row =
    
    👤 <b>{ $name }</b> — нарушений: { $total }
    Некорректных сделок сейчас: { $incorrect } · стали неактивными: { $inactive }
    Комментарий не развёрнут (R3): { $r3 } · дубль контакта (R5): { $r5 }
    Лидов без взаимодействий дольше { $days } дн.: { $stale }
report-discipline-link-incorrect = ⚠️ { $name }: некорректные сделки ({ $count })
report-discipline-link-inactive = 💤 { $name }: стали неактивными ({ $count })
report-discipline-link-stale_leads = 🕸 { $name }: лиды без взаимодействий ({ $count })
report-discipline-chart = Нарушения по менеджерам · { $scope }
report-sheet-stuck-deals = Застрявшие сделки
report-col-reason = Причина
report-lost-no-reason = Без причины из справочника
report-lost-empty =
    
    За этот период проигранных сделок нет.
report-lost-total =
    
    Проиграно за период: { $deals } на { $amount }
report-lost-reasons =
    
    <b>По причинам</b>
report-lost-stages =
    
    <b>По этапам</b> (где сделка была проиграна)
report-lost-managers =
    
    <b>По менеджерам</b>
report-lost-row = • { $name }: { $deals } · { $amount } ({ $share })
report-lost-chart = Проигранные сделки по причинам · { $scope }
