## Задачи: по лиду, сделке, клиенту или личные

task-form-title = Новая задача
task-subject-lead = Лид №{ $id }
task-subject-deal = Сделка №{ $id }
task-subject-client = Клиент №{ $id }
task-subject-self = Личная задача
task-ask-title =
    🗓 <b>{ $subject }: что нужно сделать?</b> Напишите задачу.
    Например: «Позвонить и уточнить бюджет на сканеры».
task-title-invalid = Задача — от { $min } до { $max } символов. Например: «Позвонить и уточнить бюджет на сканеры».
task-ask-due = 🗓 <b>{ $subject }</b>: когда? Выберите срок задачи.
task-btn-pick-due = 🗓 Выбрать срок
task-summary =
    <b>Проверьте задачу</b>
    { $subject }
    Задача: { $title }
    Срок: { $due }
    Кому: { $assignee }
    Задача напомнит о себе в срок.
task-btn-edit-title = ✏️ Задача
task-btn-edit-due = ✏️ Срок
task-btn-edit-assignee = ✏️ Кому
task-assignee-me = вам
task-ask-assignee = 👤 <b>Кому поставить задачу?</b> Выберите сотрудника.
task-value-none = —
task-use-buttons = Нажмите кнопку под сообщением: «💾 Сохранить», «✏️» у того, что нужно изменить, или «✖️ Отмена».
task-added = ✅ Задача «{ $title }» поставлена на { $due }.
task-btn-open-lead = 📋 Открыть лид №{ $id }
task-btn-open-deal = 💼 Открыть сделку №{ $id }
task-btn-open-client = 👥 Открыть клиента №{ $id }
task-btn-open-self = 📅 Открыть план
task-assigned-notice = 🗓 { $by } поставил(а) вам задачу «{ $title }» со сроком { $due }.
task-btn-open-plan = 📅 Открыть план

## Прежние шаги задачи

task-text-expected = Ответьте текстом на вопрос выше или нажмите «Отмена».
