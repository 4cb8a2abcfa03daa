## Контакты: /new_contact, /contacts, карточка контакта, поиск /find (R4, R5)

## Шаги формы

contact-ask-name =
    👤 <b>Новый контакт.</b> Введите ФИО полностью: фамилия, имя и, если есть, отчество.
    Например: <i>Иванов Иван Иванович</i>
contact-ask-phone =
    📱 Введите мобильный телефон контакта. Например: <i>+7 912 345-67-89</i> или <i>8 912 345 67 89</i>.
    Можно прислать карточку контакта из телефонной книги: 📎 → Контакт.
contact-ask-birth_date =
    🎂 Введите дату рождения. Например: <i>25.03.1985</i>, <i>1985-03-25</i> или <i>25 марта 1985</i>.
contact-ask-email =
    ✉️ Введите личный e-mail контакта. Например: <i>ivanov@mail.ru</i>
    Корпоративные адреса нашей компании не подойдут.
contact-ask-position =
    💼 Должность контакта, если знаете. Например: <i>Главный инженер</i>
    Или нажмите «Пропустить».
contact-ask-client =
    🏢 Клиент (организация), в которой работает контакт. Наберите часть названия, например <i>Ромашка</i>, и выберите клиента кнопкой.
    Нет в списке — «➕ Новый клиент». Или нажмите «Пропустить».
contact-client-found = Нашлись клиенты по запросу «{ $query }» — выберите кнопкой:
contact-client-none = По запросу «{ $query }» ничего не найдено среди ваших клиентов. Наберите иначе или нажмите «➕ Новый клиент».
contact-btn-client = 🏢 { $name }
contact-btn-new-client = ➕ Новый клиент
contact-card-phone-taken = Телефон взят из карточки контакта, а имя в ней неполное.
contact-err-own-card =
    Это ваш собственный номер. В контакт клиента нельзя вносить свой телефон.
    Пришлите карточку клиента или наберите его номер.
contact-err-position = Должность — текстом, от 2 до { $max_length } символов. Например: Главный инженер.
contact-err-client = Для поиска клиента наберите от 2 до { $max_length } символов названия. Например: Ромашка.
contact-err-text-expected = Ответьте текстом на вопрос ниже.
contact-summary-use-buttons = Проверьте данные и нажмите кнопку: «💾 Сохранить» или «✏️» у поля, которое нужно изменить.

## Поля

contact-field-name = ФИО
contact-field-phone = Телефон
contact-field-birth_date = Дата рождения
contact-field-email = E-mail
contact-field-position = Должность
contact-field-client = Клиент
contact-value-none = —
contact-btn-edit = ✏️ { $field }

## Сводка и сохранение

contact-summary =
    <b>Проверьте данные контакта</b>
    ФИО: { $name }
    Телефон: { $phone }
    Дата рождения: { $birth_date }
    E-mail: { $email }
    Должность: { $position }
    Клиент: { $client }
    Всё верно? Нажмите «💾 Сохранить» или «✏️» у поля, которое нужно изменить.
contact-saved =
    ✅ <b>Контакт сохранён</b>
    👤 { $name }
    📱 { $phone }
    🎂 { $birth_date }
    ✉️ { $email }
    Должность: { $position }
    Клиент: { $client }
contact-btn-create-lead = 🎯 Создать лид

## Дубликаты (R5)

contact-duplicate =
    ⚠️ <b>Такой контакт уже есть в CRM</b> — совпадают: { $fields }. Новый контакт не создан.
    👤 { $name }
    📱 { $phone }
    🎂 { $birth_date }
    ✉️ { $email }
    Ответственный: { $responsible }
    Создайте лид на этот контакт или исправьте данные.
contact-btn-lead-on-existing = 🎯 Создать лид на этот контакт
contact-btn-fix = ✏️ Исправить

## Список и карточка

contact-list-title = 📇 <b>Ваши контакты</b>: { $total }. Страница { $page } из { $pages }.
contact-list-empty = У вас пока нет контактов. Создайте первый: /new_contact
contact-card =
    👤 <b>{ $name }</b>
    📱 { $phone }
    🎂 { $birth_date }
    ✉️ { $email }
    Должность: { $position }
    Клиент: { $client }
    Ответственный: { $responsible }
    Лиды: { $leads }
    Сделки: { $deals }
contact-card-none = нет
contact-btn-new-lead = 🎯 Новый лид
contact-btn-lead = 🎯 Лид №{ $id } · { $status }
contact-btn-deal = 💼 Сделка №{ $id } · { $status }

## Поиск

contact-find-ask = 🔎 Что ищем? Напишите часть ФИО или телефона. Например: <i>Иванов</i> или <i>912 345</i>.
contact-find-too-short = Слишком короткий запрос: нужно хотя бы 2 символа. Например: <i>Иванов</i> или <i>912 345</i>.
contact-find-nothing = По запросу «{ $query }» ничего не найдено. Проверьте написание или поищите по телефону.
contact-find-results = 🔎 По запросу «{ $query }» найдено контактов: { $total }. Страница { $page } из { $pages }.
contact-find-btn-lead = 🎯 Лид №{ $id } · { $name }
contact-find-btn-deal = 💼 Сделка №{ $id } · { $name }
contact-find-clients = Клиенты: { $count }
contact-find-btn-client = 🏢 { $name }

## Диалоги

contact-form-title = Новый контакт
contact-saved-title = ✅ <b>Контакт сохранён.</b>
contact-btn-new = 👤 Новый контакт

## Изменение сохранённого контакта

contact-btn-edit-card = ✏️ Изменить
contact-edit-title = ✏️ <b>Изменение контакта.</b> Нажмите «✏️» у поля, затем «💾 Сохранить».
contact-edited = ✅ <b>Изменения сохранены.</b>
contact-edit-unchanged = Ничего не изменилось.
