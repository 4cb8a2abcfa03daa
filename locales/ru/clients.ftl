## Клиенты, контрагенты и маршруты: /clients, карточка клиента, перевод в контрагенты

cmd-clients = Клиенты

## Ошибки ввода (domain/registry.py)

clients-err-inn-empty = Введите ИНН: 10 цифр для организации или 12 для ИП. Например: 7707083893.
clients-err-inn-digits = В ИНН должны быть только цифры (пробелы можно). Например: 7707083893.
clients-err-inn-length =
    В ИНН должно быть 10 цифр (организация) или 12 (ИП), а сейчас { $length }.
    Например: 7707083893 или 500100732259.
clients-err-inn-checksum = ИНН не проходит проверку контрольных цифр — вероятно, опечатка. Сверьте его с документами.
clients-err-kpp-format =
    КПП — 9 знаков: 4 цифры, затем 2 цифры или заглавные латинские буквы, затем 3 цифры.
    Например: 773601001.
clients-err-name-length =
    Название клиента — от { $min } до { $max } символов, а сейчас { $length }.
    Например: ООО «Ромашка».
clients-err-legal-name-length =
    Юридическое наименование — от { $min } до { $max } символов, а сейчас { $length }.
    Например: ООО «Ромашка».
clients-err-comment-length = Комментарий — от { $min } до { $max } символов, а сейчас { $length }. Сократите его или нажмите «Пропустить».
clients-err-reason-length =
    Причина — от { $min } до { $max } символов, а сейчас { $length }.
    Например: Нет подписанного договора.

## Справочные значения

clients-status-potential = потенциальный
clients-status-active = действующий
clients-status-lost = потерянный

clients-kind-supplier = Поставщик
clients-kind-partner = Партнёр
clients-kind-customer = Покупатель

clients-value-none = не указано

clients-option = { $name }

## Общие ответы


clients-use-buttons = Выберите вариант кнопкой под сообщением выше или нажмите «✖️ Отмена».



## Список /clients

clients-list-title = <b>Клиенты</b> — всего { $total }, страница { $page } из { $pages }:

clients-list-item = { $n }. { $name } — { $status }

clients-list-button = { $n }. { $name }

clients-list-empty = Клиентов пока нет. Создайте первого кнопкой «➕ Новый клиент».

clients-btn-new = ➕ Новый клиент

## Новый клиент

clients-ask-name =
    <b>Новый клиент.</b> Как называется клиент? От 2 до 200 символов.
    Например: <i>ООО «Ромашка»</i> или <i>Склад-Сервис</i>.

clients-ask-industry = Отрасль клиента? Выберите кнопкой или напишите часть названия, например «Розничная торговля».

clients-industry-empty = В справочнике отраслей нет активных значений. Нажмите «Пропустить» — отрасль можно будет указать позже.

clients-ask-region = Бизнес-регион клиента? Выберите кнопкой или напишите часть названия, например «Центральный».

clients-region-empty = В справочнике бизнес-регионов нет активных значений. Нажмите «Пропустить».

clients-value-deactivated = Это значение справочника отключили, пока вы заполняли форму. Выберите другое.

clients-ask-contacts =
    Контактные лица клиента «{ $name }»: { $contacts }.
    Добавьте контакт из базы (поиск по ФИО или телефону) или создайте новый. Когда закончите, нажмите «✅ Готово».

clients-contacts-none = пока никого

clients-ask-attach =
    Новое контактное лицо клиента «{ $name }».
    Найдите контакт по ФИО или телефону или создайте новый.

clients-btn-find-contact = 🔎 Добавить контакт

clients-btn-new-contact = ➕ Новый контакт

clients-ask-search = Напишите часть ФИО или телефона контакта. Например: <i>Иванов</i> или <i>912 345</i>.

clients-search-too-short = Слишком короткий запрос: нужно хотя бы 2 символа. Например: <i>Иванов</i> или <i>912 345</i>.

clients-search-none =
    По запросу «{ $query }» среди ваших контактов никого нет.
    Попробуйте иначе, например только фамилию или последние цифры телефона.

clients-search-found = Вот кого нашёл. Выберите контакт:

clients-contact-option = { $name }, { $phone }

clients-contact-linked = ✅ Контактное лицо добавлено.

clients-summary =
    <b>Проверьте клиента</b>
    Название: { $name }
    Отрасль: { $industry }
    Бизнес-регион: { $region }
    Контактные лица: { $contacts }
    Всё верно? Нажмите «💾 Сохранить» или измените нужное поле.

clients-summary-pick =
    <b>Проверьте нового клиента</b>
    Название: { $name }
    Отрасль: { $industry }
    Бизнес-регион: { $region }
    Сохраните, и контакт будет привязан к этому клиенту.

clients-summary-edit =
    <b>Изменение клиента</b>
    Название: { $name }
    Отрасль: { $industry }
    Бизнес-регион: { $region }
    Ответственный: { $responsible }
    Измените нужное поле и нажмите «💾 Сохранить».
clients-btn-edit-card = ✏️ Изменить
clients-edited = ✅ Изменения сохранены.
clients-edit-unchanged = Ничего не изменилось: данные клиента те же.
clients-value-required = Выберите значение кнопкой: при изменении клиента это поле обязательно.

clients-btn-edit-name = ✏️ Название
clients-btn-edit-industry = ✏️ Отрасль
clients-btn-edit-region = ✏️ Бизнес-регион
clients-btn-edit-responsible = ✏️ Ответственный
clients-ask-responsible = Кто будет ответственным за клиента? Выберите кнопкой.
clients-btn-edit-contacts = ✏️ Контактные лица

clients-saved = ✅ Клиент сохранён. Ответственный — вы.

## Карточка клиента

clients-card =
    <b>🏢 { $name }</b>
    Статус: { $status }
    Отрасль: { $industry }
    Бизнес-регион: { $region }
    Ответственный: { $responsible }

clients-card-marked-lost = Отмечен потерянным вручную.

clients-card-contacts-title = <b>Контактные лица:</b>

clients-card-contact = • { $name }, { $phone }, { $email }

clients-card-contacts-none = Контактных лиц пока нет.

clients-card-leads-title = <b>Связанные лиды:</b>

clients-card-lead = • Лид №{ $id }: { $contact } — { $status }, ответственный { $responsible }

clients-card-leads-none = Связанных лидов нет.

clients-card-counterparty = <b>Контрагент:</b> { $legal_name }, ИНН { $inn }, КПП { $kpp }, { $kind }

clients-card-route = <b>Маршрут:</b> ждёт решения { $approver }.

clients-btn-open = 🏢 Открыть клиента
clients-btn-add-contact = 👤 Добавить контактное лицо
clients-btn-convert = 🏢 В контрагенты
clients-btn-route = 📨 Отправить по маршруту
clients-btn-mark-lost = Отметить потерянным
clients-btn-unmark-lost = Снять отметку
clients-btn-withdraw = ↩️ Отозвать маршрут

clients-marked-lost = Клиент отмечен потерянным.

clients-unmarked-lost = Отметка «потерянный» снята.

## Перевод в контрагенты


clients-route-not-needed = У вас есть право перевода: переведите клиента в контрагенты сами кнопкой «🏢 В контрагенты».


clients-ask-legal-name =
    <b>Контрагент из клиента «{ $name }».</b> Полное юридическое наименование? От 2 до 300 символов.
    Например: <i>ООО «Ромашка»</i>. Или оставьте название клиента кнопкой ниже.

clients-btn-keep-name = Оставить «{ $name }»

clients-ask-inn = ИНН контрагента: 10 цифр для организации или 12 для ИП. Например: <i>7707083893</i>.

clients-ask-kpp = КПП — 9 знаков, например <i>773601001</i>. У ИП КПП нет: нажмите «Пропустить».

clients-ask-kind = Вид контрагента? Выберите кнопкой или напишите, например «Покупатель».

clients-conv-summary =
    <b>Проверьте контрагента</b>
    Клиент: { $client }
    Юридическое наименование: { $legal_name }
    ИНН: { $inn }
    КПП: { $kpp }
    Вид: { $kind }

clients-route-summary =
    Согласующий: { $approver }
    Комментарий: { $comment }

clients-btn-create-counterparty = ✅ Создать контрагента
clients-btn-send-route = 📨 Отправить на согласование
clients-btn-edit-legal-name = ✏️ Наименование
clients-btn-edit-inn = ✏️ ИНН
clients-btn-edit-kpp = ✏️ КПП
clients-btn-edit-kind = ✏️ Вид
clients-btn-edit-approver = ✏️ Согласующий
clients-btn-edit-comment = ✏️ Комментарий

clients-inn-taken = Контрагент с таким ИНН уже есть: { $legal_name } (ИНН { $inn }). Проверьте ИНН.

clients-converted = ✅ Контрагент создан: { $legal_name }, ИНН { $inn }. Контакты, лиды и сделки клиента остались на месте.

## Маршруты

clients-ask-approver = Кому отправить на согласование? Выберите сотрудника с правом перевода в контрагенты или напишите часть его имени.

clients-no-approvers = Нет сотрудников с правом перевода в контрагенты. Обратитесь к администратору.

clients-approver-invalid = Этот сотрудник не может согласовать перевод (нет права или это вы). Выберите другого.

clients-ask-comment =
    Комментарий для согласующего — по желанию, до 1000 символов.
    Например: <i>Клиент готов подписать договор поставки до пятницы</i>. Или нажмите «Пропустить».

clients-route-sent = 📨 Отправлено на согласование: { $approver } получит карточку клиента «{ $client }». Пока решения нет, маршрут можно отозвать в карточке клиента.


clients-route-request =
    📨 <b>Маршрут: перевод клиента в контрагенты</b>
    Отправил(а): { $requester }

    { $card }

    <b>Контрагент</b>
    Юридическое наименование: { $legal_name }
    ИНН: { $inn }
    КПП: { $kpp }
    Вид: { $kind }
    Комментарий: { $comment }

clients-btn-approve = ✅ Одобрить
clients-btn-reject = ✖️ Отклонить
clients-btn-show-route = 📨 { $client }

clients-route-decided = Этот маршрут уже решён, отозван или адресован не вам. Ничего не изменено.

clients-route-approved-you = ✅ Маршрут одобрен: клиент «{ $client }» стал контрагентом «{ $legal_name }».

clients-route-approved-requester = ✅ { $approver } одобрил(а) маршрут: клиент «{ $client }» стал контрагентом «{ $legal_name }» (ИНН { $inn }).

clients-ask-reject-reason =
    Почему отклоняете? От 3 до 500 символов — причину получит { $requester }.
    Например: <i>Нет подписанного договора</i>.

clients-route-rejected-you = Маршрут отклонён, { $requester } получит причину.

clients-route-rejected-requester = ✖️ { $approver } отклонил(а) маршрут по клиенту «{ $client }». Причина: { $reason }

clients-route-withdrawn = ↩️ Маршрут отозван.

clients-route-withdrawn-approver = ↩️ { $requester } отозвал(а) маршрут по клиенту «{ $client }». Решение больше не нужно.

## Для /today

clients-today-routes-title = <b>📨 Маршруты на согласование: { $count }</b>

clients-today-route = • { $client } — от { $requester }, { $date }

## Названия форм (вопрос «Выйти без сохранения?»)

clients-form-title = Новый клиент
clients-conv-form-title = Перевод в контрагенты
clients-reject-form-title = Отклонение маршрута

clients-choice-none = Вариантов с «{ $query }» нет. Выберите кнопкой или напишите иначе.

## Отказы (всплывающие сообщения)

clients-convert-denied = Переводить клиентов в контрагенты может только сотрудник с правом перевода. Отправьте клиента по маршруту. Ничего не изменено.
clients-refused-has-counterparty = У этого клиента уже есть контрагент. Ничего не изменено.
clients-refused-route-pending = По этому клиенту уже есть маршрут, ждущий решения. Дождитесь решения или отзовите его. Ничего не изменено.
clients-refused-inn-taken = Контрагент с таким ИНН уже есть. Ничего не изменено.

clients-refused-party-deal = Нельзя: у клиента получилось бы две открытые сделки в одной товарной группе. Ничего не изменено.
clients-refused-party-deals =
    Нельзя: у клиента получилось бы две открытые сделки в одной товарной группе — { $deals }. Сделки контакта переходят к клиенту, а у клиента в группе может быть только одна открытая сделка.
    Закройте одну из этих сделок и попробуйте снова. Ничего не изменено.

## Карточка контрагента

clients-btn-party = 🏢 Карточка контрагента
clients-btn-party-client = 🏢 Клиент «{ $name }»
clients-party-card =
    🏢 <b>Контрагент { $legal_name }</b>
    ИНН: { $inn }
    КПП: { $kpp }
    Вид: { $kind }
    Клиент: { $client }

## Прочие ответы

clients-text-expected = Пришлите ответ обычным текстом.

clients-form-lost = Форма клиента не найдена — начните заново из /clients.

clients-already-counterparty = У этого клиента уже есть контрагент: { $legal_name }. Ничего не изменено.

clients-route-pending-exists = По этому клиенту уже есть маршрут, ждущий решения ({ $approver }). Дождитесь решения или отзовите его. Ничего не изменено.
