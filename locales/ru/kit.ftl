## The conversation toolkit: refusals, leaving a form, the calendar.

record-closed = Эта запись уже закрыта, действие к ней больше не относится. Ничего не изменено.
record-conflict = Сделать это не получилось: запись только что изменили или такая уже есть. Ничего не изменено — откройте карточку заново.
input-invalid = Не получилось разобрать ответ. Попробуйте ещё раз по примеру ниже.
form-err-text-expected = Ответьте текстом на вопрос ниже.

leave-form-ask = ✋ Форма «{ $form }» не сохранена (шаг { $step }). Выйти без сохранения?
leave-form-return = ↩️ Продолжить: { $form }, шаг { $step }
leave-form-leave = 🚪 Выйти без сохранения

month-1 = Январь
month-2 = Февраль
month-3 = Март
month-4 = Апрель
month-5 = Май
month-6 = Июнь
month-7 = Июль
month-8 = Август
month-9 = Сентябрь
month-10 = Октябрь
month-11 = Ноябрь
month-12 = Декабрь
weekday-short-0 = Пн
weekday-short-1 = Вт
weekday-short-2 = Ср
weekday-short-3 = Чт
weekday-short-4 = Пт
weekday-short-5 = Сб
weekday-short-6 = Вс

## Необязательные поля записи (handlers/kit/details.py)

detail-value = { $value }
detail-err-day-past = Эта дата уже прошла. Выберите сегодняшний или будущий день.
detail-err-gone = Это поле больше нельзя изменить здесь. Вернитесь к сводке.

## Открытые задачи на карточках лида, сделки и клиента (handlers/kit/cards.py)

card-tasks-title = 🗓 <b>Открытые задачи ({ $count })</b>
card-task-line = • { $due } — { $title }
card-task-line-for = • { $due } — { $title } ({ $who })
card-tasks-more = …и ещё { $count }
card-btn-task = 🗓 Задача

## Причина проигрыша сделки или отказа по лиду (R2a)
outcome-reason-gone = Этой причины больше нет в списке (её отключили или удалили). Выберите другую причину.
outcome-reasons-none = В справочнике нет ни одной включённой причины. Попросите администратора включить причину в /settings → «📚 Справочники».
