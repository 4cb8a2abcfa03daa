## Администрирование: справочники (/settings → «📚 Справочники») и сотрудники и команды.

admin-btn-directories = 📚 Справочники
admin-btn-team = 👥 Сотрудники и команды

## Справочники

dir-title = 📚 <b>Справочники</b>
    Выберите справочник. Значения можно добавлять, переименовывать и отключать; удалять их нельзя — старые записи сохраняют свои значения.
dir-kind-ind = Отрасли
dir-kind-reg = Бизнес-регионы
dir-kind-grp = Группы товаров
dir-kind-prd = Товары
dir-kind-src = Источники лидов
dir-kind-stg = Этапы воронки
dir-pick-group = Товары ведутся по группам. Выберите группу товаров.
dir-list-title = <b>{ $kind }</b>
dir-list-products = <b>Товары группы «{ $group }»</b>
dir-list-empty = Пока пусто. Нажмите «➕ Добавить».
dir-stage-hint = Сверху — этапы воронки по порядку; отключённые и итоги (✅ успех, ❌ отказ) — ниже.
dir-off-mark = (откл.)
dir-stage-kind-won = ✅
dir-stage-kind-lost = ❌
dir-btn-add = ➕ Добавить
dir-btn-rename = ✏️ Переименовать
dir-btn-off = 🚫 Отключить
dir-btn-on = ✅ Включить
dir-btn-up = ⬆️ Выше
dir-btn-down = ⬇️ Ниже
dir-btn-period = ⏱ Срок неактивности
dir-btn-to-list = « К списку
dir-item-title = { $kind ->
        [ind] Отрасль
        [reg] Бизнес-регион
        [grp] Группа товаров
        [prd] Товар
        [src] Источник лидов
        [stg] Этап воронки
       *[other] Значение
    }: <b>{ $name }</b>
dir-status-on = Статус: включено — можно выбирать в новых записях.
dir-status-off = Статус: отключено — остаётся в старых записях, но в новых не предлагается.
dir-stage-outcome-note = Это итог сделки (успех или отказ): его нельзя отключить или переместить, только переименовать.
dir-period-default = Срок неактивности: по умолчанию ({ $months } мес.).
dir-period-own = Срок неактивности: { $months } мес. (свой для этапа).
dir-ask-new-name =
    Напишите название { $kind ->
        [ind] новой отрасли
        [reg] нового бизнес-региона
        [grp] новой группы товаров
        [prd] нового товара
        [src] нового источника лидов
        [stg] нового этапа воронки
       *[other] нового значения
    }: от { $min } до { $max } символов, без повторов в справочнике.
    Например: <code>{ $kind ->
        [ind] Розничная торговля
        [reg] Урал
        [grp] Мобильные принтеры
        [prd] Принтер этикеток Zebra ZD421
        [src] Партнёрская программа
        [stg] Демонстрация оборудования
       *[other] Новое значение
    }</code>
dir-ask-rename =
    Сейчас: <b>{ $current }</b>. Напишите новое название { $kind ->
        [ind] отрасли
        [reg] бизнес-региона
        [grp] группы товаров
        [prd] товара
        [src] источника лидов
        [stg] этапа воронки
       *[other] значения
    } (от { $min } до { $max } символов).
    Например: <code>{ $kind ->
        [ind] Розничная торговля
        [reg] Урал
        [grp] Мобильные принтеры
        [prd] Принтер этикеток Zebra ZD421
        [src] Партнёрская программа
        [stg] Демонстрация оборудования
       *[other] Новое значение
    }</code>
dir-name-too-short = Слишком коротко: нужно хотя бы { $min } символа. Напишите название ещё раз.
dir-name-too-long = Слишком длинно: не больше { $max } символов. Напишите название короче.
dir-name-taken = Такое значение уже есть: «{ $name }». Названия не должны повторяться (регистр не важен). Напишите другое.
dir-name-need-text = Напишите название текстом.
dir-saved = Сохранено: «{ $name }».
dir-activated = Включено.
dir-deactivated = Отключено. В старых записях значение сохранится.
dir-stage-outcome-fixed = Итоги сделки (успех, отказ) нельзя отключить, переместить или задать им срок или вероятность (у успеха она 100 %, у отказа 0 %).
dir-stage-last-active = Нельзя отключить последний активный этап воронки: сделкам нужен хотя бы один этап.
dir-stage-edge = Этап уже крайний — двигать дальше некуда.
dir-reordered = Порядок этапов изменён.
dir-ask-period =
    ⏱ Срок неактивности для этапа <b>{ $name }</b>: сделка на этом этапе становится неактивной, если за это время не было квалифицирующего контакта.
    Выберите от 1 до { $max } мес. или «По умолчанию».
dir-period-months = { $months } мес.
dir-btn-period-default = По умолчанию ({ $months } мес.)
dir-period-invalid = Срок — целое число месяцев от 1 до { $max }.
dir-period-saved = Срок сохранён.
dir-btn-probability = 📈 Вероятность, %
dir-probability-default = Вероятность выигрыша: { $percent } % (по умолчанию — по месту этапа в воронке).
dir-probability-own = Вероятность выигрыша: { $percent } % (задана для этапа).
dir-ask-probability =
    📈 Вероятность выигрыша для этапа <b>{ $name }</b>: с какой вероятностью сделка на этом этапе будет выиграна. Она взвешивает сумму сделки в прогнозе продаж.
    Напишите целое число процентов от { $min } до { $max }, например 40.
dir-btn-probability-default = По умолчанию (по месту в воронке)
dir-probability-invalid = Вероятность — целое число процентов от { $min } до { $max }, например 40. Напишите ещё раз.
dir-probability-saved = Вероятность сохранена.

## Сотрудники и команды

team-users-title = 👥 <b>Сотрудники</b> (нажмите на номер, чтобы открыть карточку)
team-users-line = { $n }. { $name } — { $role }, { $team } — { $status }
team-no-team = без команды
team-status-on = активен
team-status-off = отключён
team-status-unreachable = недоступен (заблокировал бота)
team-card-title = 👤 <b>{ $name }</b>
team-card-username = @{ $username }
team-card-role = Роль: { $role }
team-card-team = Команда: { $team }
team-card-status = Статус: { $status }
team-card-conversion = Право конвертировать клиентов: { $value }
team-card-work = Открытые лиды: { $leads }, открытые сделки: { $deals }
team-card-admin-id-note = ℹ️ Этот человек указан в ADMIN_IDS: при следующем сообщении бот снова сделает его активным администратором. Роль и отключение меняются только в настройке ADMIN_IDS.
team-conv-default = по роли ({ $effective })
team-conv-yes = есть
team-conv-no = нет
team-conv-allowed = разрешено
team-conv-forbidden = запрещено
team-conv-btn-default = По роли
team-conv-btn-allowed = Разрешено
team-conv-btn-forbidden = Запрещено
team-btn-role = 🎭 Роль
team-btn-team = 👥 Команда
team-btn-conversion = 🔑 Право конвертации
team-btn-off = 🚫 Отключить
team-btn-off-confirm = 🚫 Да, отключить
team-btn-on = ✅ Включить
team-btn-reassign = 🔁 Переназначить ({ $count })
team-btn-to-list = « К списку
team-btn-new-team = ➕ Новая команда
team-ask-role = Какую роль дать сотруднику { $name }?
team-ask-team = В какую команду перевести сотрудника { $name }?
team-ask-team-name = Напишите название новой команды (от 2 до 100 символов). Например: <code>Продажи Юг</code>
team-name-invalid = Название команды — от 2 до 100 символов. Например: <code>Продажи Юг</code>
team-moved = Сотрудник переведён в команду «{ $team }».
team-ask-conversion = Право конвертировать клиентов в контрагентов для сотрудника { $name }. «По роли»: у руководителей групп и администраторов есть, у менеджеров нет.
team-ask-deactivate =
    Отключить сотрудника { $name }? Он больше не сможет пользоваться ботом.
    Открытые лиды: { $leads }, открытые сделки: { $deals } — их можно будет передать другим сотрудникам команды.
team-saved = Сохранено.
team-deactivated = Сотрудник отключён.
team-activated = Сотрудник снова активен.
team-not-yourself = Нельзя отключить самого себя.
team-last-admin = Нельзя: это последний активный администратор.
team-admin-id-locked = Этот администратор указан в ADMIN_IDS: бот вернёт ему роль при следующем сообщении. Уберите его из ADMIN_IDS, чтобы изменить роль или отключить.

## Переназначение работы отключённого сотрудника

team-reassign-notice =
    Сотрудник { $name } отключён. У него остались открытые лиды: { $leads } и сделки: { $deals }.
    Передайте их другим сотрудникам команды.
team-btn-reassign-notice = 🔁 Переназначить
team-reassign-not-allowed = Переназначать работу могут только руководители групп и администраторы.
team-reassign-nothing = Передавать нечего: у сотрудников, чью работу вы можете передать, нет открытых лидов и сделок.
team-reassign-pick-owner = Чью работу передать?
team-reassign-owner = { $name } ({ $count })
team-reassign-owner-active = Сотрудник снова активен — его работу передавать не нужно.
team-work-title = Открытая работа сотрудника <b>{ $name }</b>: лиды — { $leads }, сделки — { $deals }. Нажмите на запись, чтобы выбрать, кому её передать.
team-work-lead = Лид №{ $id } — { $contact } ({ $group })
team-work-deal = Сделка №{ $id } — { $contact } ({ $group })
team-btn-who = Кому? { $label }
team-btn-all-to-one = 📦 Всё одному…
team-what-lead = лид №{ $id }
team-what-deal = сделку №{ $id }
team-ask-who-one = Кому передать { $kind ->
        [l] лид №{ $id }
       *[d] сделку №{ $id }
    }?
team-ask-who-all = Кому передать всю открытую работу сотрудника { $name }?
team-reassign-nobody = Передать некому: в команде нет других активных сотрудников.
team-reassign-gone = Эта запись уже закрыта или передана. Ничего не изменено.
team-reassigned-one = Готово: { $kind ->
        [l] лид №{ $id } передан
       *[d] сделка №{ $id } передана
    } сотруднику { $name }.
team-reassigned-all = Готово: сотруднику { $name } переданы лиды ({ $leads }) и сделки ({ $deals }).
team-reassign-done = Вся открытая работа сотрудника { $name } передана.
team-assigned-lead = Вам передан лид №{ $id } (передал: { $by }).
team-assigned-deal = Вам передана сделка №{ $id } (передал: { $by }).
team-assigned-all = Вам передана работа сотрудника { $owner }: лиды — { $leads }, сделки — { $deals } (передал: { $by }). Они уже в /leads и /deals.
team-btn-open-lead = Открыть лид
team-btn-open-deal = Открыть сделку

## Настройки, приглашения и формы администрирования

settings-zone-or-type = Или напишите название часового пояса в формате IANA, например: <code>Asia/Tashkent</code>.
invite-form-title = Приглашение сотрудника
invite-team-or-type = Или напишите название новой команды.
invite-use-buttons = Выберите роль кнопкой ниже.
dir-form-title = Название в справочнике
team-form-title = Новая команда
dir-search-hint = Чтобы открыть значение, нажмите на него или напишите его название.
dir-search-none = Такого значения в справочнике нет. Напишите название иначе или нажмите «➕ Добавить».

## Передача работы активного сотрудника

team-reassign-owner-off = { $name } — отключён ({ $count })
team-confirm-one = Передать { $kind ->
        [l] лид №{ $id }
       *[d] сделку №{ $id }
    } от { $owner } сотруднику { $target }? Открытые задачи по записи перейдут вместе с ней. Оба сотрудника получат уведомление.
team-confirm-all = Передать всю открытую работу { $owner } (лиды — { $leads }, сделки — { $deals }) сотруднику { $target }? Открытые задачи по этим записям перейдут вместе с ними. Оба сотрудника получат уведомление.
team-btn-confirm-reassign = ✅ Передать
team-taken-lead = Ваш лид №{ $id } передан сотруднику { $to } (передал: { $by }).
team-taken-deal = Ваша сделка №{ $id } передана сотруднику { $to } (передал: { $by }).
team-taken-all = Ваша открытая работа передана сотруднику { $to }: лиды — { $leads }, сделки — { $deals } (передал: { $by }).
