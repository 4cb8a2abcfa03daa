from tests.factories import make_user
from tests.harness import Harness


async def test_smoke(harness: Harness, sessionmaker) -> None:
    await make_user(sessionmaker, 500_001)
    m = harness.user(500_001)
    r = await m.send("/new_contact")
    print(r, m.buttons())
    for t in ["Петров Пётр Петрович", "+7 916 123-45-67", "12.07.1990", "petrov.p@mail.ru", "Главный инженер", "ООО «Ромашка»"]:
        r = await m.send(t)
        print(r[-1][:80], m.buttons())
    r = await m.send("12")
    print(r)
    r = await m.click("Сохранить")
    print(r, m.buttons())
    for c in harness.session.calls[-6:]:
        print(type(c).__name__)
