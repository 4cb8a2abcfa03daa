## Доступ и вход

access-refused =
    Здравствуйте! Это закрытый CRM-бот компании, и вы пока не подключены к нему.
    Ваш Telegram ID: <code>{ $user_id }</code>
    Передайте его администратору, чтобы получить приглашение.
access-deactivated =
    Ваш доступ к CRM-боту отключён.
    Ваш Telegram ID: <code>{ $user_id }</code>
    Если это ошибка, обратитесь к администратору.
first-setup-admin-line =
    Администратор у бота ещё не назначен. Если бота настраиваете вы, впишите в файл <code>.env</code> строку
    <code>ADMIN_IDS={ $user_id }</code>
    и перезапустите бота: вы станете его администратором.
access-refused-no-admin =
    Здравствуйте! Это закрытый CRM-бот компании, и вы пока не подключены к нему.
    Ваш Telegram ID: <code>{ $user_id }</code>

    { first-setup-admin-line }
    Если бота настраивает кто-то другой, передайте ему ваш ID.
invite-invalid =
    Ссылка-приглашение недействительна: она уже использована, устарела или набрана с ошибкой.
    Попросите у администратора новую. Ваш Telegram ID: <code>{ $user_id }</code>
invite-rate-limited = Слишком много неверных кодов приглашения. Попробуйте снова через { $minutes } мин.
start-joined =
    Добро пожаловать, { $name }!
    Вы подключены к CRM-боту. Роль: <b>{ $role }</b>, команда: <b>{ $team }</b>.
    Главное меню — внизу экрана. Справка: /help
start-first-admin =
    Здравствуйте, { $name }! Вы — администратор CRM-бота. Команд и сотрудников пока нет. С чего начать:
    1. /invite — пригласите сотрудников: выберите роль и команду (новую команду можно создать тут же, кнопкой «➕ Новая команда»), и бот даст ссылку-приглашение — перешлите её сотруднику.
    2. /settings → «📚 Справочники» — проверьте товары, этапы воронки, причины проигрыша и причины отказа: менеджеры выбирают их кнопками.
    Главное меню — внизу экрана. Справка: /help
start-welcome-back = С возвращением, { $name }! Главное меню — внизу экрана.
start-already-member = { $name }, вы уже подключены к CRM-боту. Приглашение не понадобилось.
invite-joined-admin = 👋 По вашему приглашению подключился новый сотрудник: { $name }. Роль: <b>{ $role }</b>, команда: <b>{ $team }</b>.
admin-only = Эта команда доступна только администраторам.

## Меню

menu-title = Главное меню. Выберите действие.
menu-today = 📅 План на день
menu-new-contact = 👤 Новый контакт
menu-new-lead = 🎯 Новый лид
menu-log = 📞 Записать контакт с клиентом
menu-new-deal = 💼 Новая сделка
menu-leads = 📋 Мои лиды
menu-deals = 📈 Мои сделки
menu-contacts = 📇 Мои контакты
menu-clients = 🏢 Клиенты
menu-find = 🔎 Поиск
menu-report = 📊 Отчёты
menu-settings = ⚙️ Настройки
menu-help = ❓ Помощь
not-built-yet = Раздел «{ $action }» ещё в разработке. Мы сообщим, когда он заработает.
unknown-command = Такой команды нет. Список команд — /help, главное меню — /menu.
stray-message = Не понял сообщение. Выберите действие в меню ниже или наберите /help.
cancelled = Действие отменено. Ничего не сохранено.
nothing-to-cancel = Отменять нечего. Вы в главном меню.
button-stale = Эта кнопка устарела. Откройте раздел заново.

## Общие кнопки

btn-cancel = ✖️ Отмена
btn-back = ◀️ Назад
btn-skip = Пропустить ▶️

## Справка

help-text =
    <b>CRM-бот отдела продаж</b>
    /today — план на день
    /new_contact — новый контакт
    /new_lead — новый лид
    /log — записать звонок, переписку или встречу
    /new_deal — сделка из лида
    /leads, /deals, /contacts, /clients — мои списки
    /find текст — поиск
    /report — отчёты
    /export — выгрузить списки, звонки и встречи в Excel или CSV
    /settings — часовой пояс и язык
    /cancel — выйти из текущего действия
help-admin =
    <b>Для администратора</b>
    /invite — пригласить сотрудника (роль и команда выбираются кнопками)
    /reassign — переназначить открытые лиды и сделки отключённых сотрудников
    /outbox — уведомления, которые не удалось отправить
help-team-lead =
    <b>Для руководителя группы</b>
    /reassign — переназначить открытые лиды и сделки отключённых сотрудников команды

## Команды

cmd-today = План на день
cmd-new-contact = Новый контакт
cmd-new-lead = Новый лид
cmd-log = Записать звонок, переписку или встречу
cmd-new-deal = Сделка из лида
cmd-task = Новая задача
cmd-leads = Мои лиды
cmd-deals = Мои сделки
cmd-contacts = Мои контакты
cmd-find = Поиск
cmd-report = Отчёты
cmd-export = Экспорт списков в Excel или CSV
cmd-settings = Настройки
cmd-menu = Главное меню
cmd-help = Помощь
cmd-cancel = Отменить текущее действие
cmd-reassign = Переназначить лиды и сделки
cmd-outbox = Неотправленные уведомления
cmd-invite = Пригласить сотрудника

## Приглашения

invite-pick-role = Кого приглашаем? Выберите роль.
invite-pick-team = Роль: <b>{ $role }</b>. В какую команду?
invite-new-team = ➕ Новая команда
invite-ask-team-name = Напишите название новой команды, например: <i>Продажи Север</i>.
invite-team-name-invalid = Название команды — от 2 до 100 символов текстом. Например: <i>Продажи Север</i>.
invite-link =
    Приглашение готово. Перешлите ссылку сотруднику:
    { $link }
    Роль: <b>{ $role }</b>, команда: <b>{ $team }</b>.
    Ссылка одноразовая и действует до { $expires }.

## Настройки

settings-summary =
    <b>Настройки</b>
    Часовой пояс: { $timezone }
    Язык: { $language }
    Рабочий телефон: { $work_phone }
    Рабочий e-mail: { $work_email }
settings-weekly = Еженедельный отчёт по понедельникам: { $weekly }
settings-weekly-on = включён
settings-weekly-off = выключен
settings-btn-weekly = 📬 Еженедельный отчёт: вкл./выкл.
settings-btn-timezone = 🕒 Часовой пояс
settings-btn-language = 🌐 Язык
settings-pick-timezone = Выберите часовой пояс.
settings-tz-other = Другой…
settings-ask-timezone = Напишите часовой пояс в формате IANA, например: <code>Asia/Tashkent</code>.
settings-timezone-invalid = Не знаю такого часового пояса. Пример: <code>Europe/Moscow</code> или <code>Asia/Novosibirsk</code>.
settings-pick-language = Выберите язык.
settings-saved = Сохранено.
settings-btn-work-phone = 📱 Рабочий телефон
settings-btn-work-email = 📧 Рабочий e-mail
settings-btn-remove = 🗑 Удалить
settings-not-set = не указан
settings-ask-work-phone =
    📱 <b>Ваш рабочий телефон</b> — мобильный номер, например <i>+7 912 345-67-89</i>. Можно отправить свой контакт Telegram: 📎 → Контакт → вы сами.
    Бот не даст внести этот номер в контакт клиента.
settings-ask-work-email =
    📧 <b>Ваш рабочий e-mail</b>, например <i>ivanov@company.ru</i>.
    Бот не даст внести этот адрес в контакт клиента.
settings-err-not-own-card = Это контакт другого человека. Отправьте свой собственный контакт или напишите номер.
language-ru = Русский
language-en = English
btn-prev = « Назад
btn-next = Далее »
btn-done = ✅ Готово
btn-save = 💾 Сохранить
btn-edit = ✏️ Изменить
access-denied = Нет доступа: эта запись закреплена за другим сотрудником. Ничего не изменено.
error-generic = Что-то пошло не так, и это действие не выполнено — ничего не сохранено. Попробуйте ещё раз или откройте /menu.

## Length limits (issue 9, finding 8): lengths are counted as the text is shown, so &lt; &gt; &amp; count as 4–5.
limit-too-long =
    Слишком длинно: сейчас { $length }, а можно не больше { $limit } { $limit ->
        [one] символа
       *[other] символов
    } (знаки &lt;, &gt; и &amp; считаются за 4–5). Сократите текст и отправьте ещё раз — ничего не сохранено.
limit-search-too-long = Слишком длинный запрос: сейчас { $length }, а можно не больше { $limit } символов. Напишите фамилию, имя или часть телефона.
card-more-lines = …и ещё { $count }
card-btn-show-full = 📄 Показать полностью
card-full-text = { $what } — полностью, часть { $part } из { $parts }:
menu-more = ☰ Ещё
menu-main = ◀️ Главное меню
menu-more-title = Остальные разделы — на клавиатуре внизу. Вернуться: «◀️ Главное меню».
