## Задачи по лиду или сделке

task-form-title = Новая задача
task-subject-lead = Лид №{ $id }
task-subject-deal = Сделка №{ $id }
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
    Задача достанется ответственному менеджеру и напомнит о себе в срок.
task-btn-edit-title = ✏️ Задача
task-btn-edit-due = ✏️ Срок
task-value-none = —
task-use-buttons = Нажмите кнопку под сообщением: «💾 Сохранить», «✏️» у того, что нужно изменить, или «✖️ Отмена».
task-added = ✅ Задача «{ $title }» поставлена на { $due }.
task-btn-open-lead = 📋 Открыть лид №{ $id }
task-btn-open-deal = 💼 Открыть сделку №{ $id }

## Прежние шаги задачи

task-text-expected = Ответьте текстом на вопрос выше или нажмите «Отмена».
