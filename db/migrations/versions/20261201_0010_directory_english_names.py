"""directory english names: the seeded directory values get an English name

Every directory table (product groups, products, lead sources, stages, industries, business regions) gets
``name_en``: the value's name for an English-speaking user. The values this project seeds are filled in here
(while their Russian name is still the seeded one); a value people typed keeps ``NULL`` and shows as typed in
both languages (``db.repo.directories.display_name``). Renaming a value clears it.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-01 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> (column length, {seeded Russian name: English name})
ENGLISH: dict[str, tuple[int, dict[str, str]]] = {
    "product_groups": (
        100,
        {
            "Оборудование": "Equipment",
            "Расходные материалы": "Consumables",
            "Программное обеспечение": "Software",
            "Услуги": "Services",
        },
    ),
    "products": (
        150,
        {
            "Промышленный принтер этикеток": "Industrial label printer",
            "Сканер штрихкодов": "Barcode scanner",
            "Терминал сбора данных": "Mobile data terminal",
            "Термоэтикетки": "Thermal labels",
            "Красящая лента (риббон)": "Thermal transfer ribbon",
            "Лицензия WMS": "WMS licence",
            "Внедрение WMS": "WMS implementation",
            "Монтаж и пусконаладка": "Installation and commissioning",
            "Сервисный контракт": "Service contract",
            "Обучение персонала": "Staff training",
        },
    ),
    "lead_sources": (
        100,
        {
            "Входящий звонок": "Incoming call",
            "Сайт": "Website",
            "Рекомендация": "Referral",
            "Выставка": "Trade show",
            "Холодный звонок": "Cold call",
        },
    ),
    "stages": (
        100,
        {
            "Выявление потребности": "Lead identification",
            "Квалификация": "Lead qualification",
            "Коммерческое предложение": "Commercial proposal",
            "Переговоры": "Negotiation",
            "Закрытие сделки": "Closing",
            "Постпродажное обслуживание": "Post-sale service",
            "Успешно реализовано": "Won",
            "Отказ": "Lost",
        },
    ),
    "industries": (
        100,
        {
            "Розничная торговля": "Retail",
            "Оптовая торговля": "Wholesale",
            "Логистика и склады": "Logistics and warehousing",
            "Производство": "Manufacturing",
            "Фармацевтика": "Pharmaceuticals",
            "Пищевая промышленность": "Food industry",
            "Строительство": "Construction",
            "ИТ и телеком": "IT and telecom",
        },
    ),
    "business_regions": (
        100,
        {
            "Центральный": "Central",
            "Северо-Западный": "North-Western",
            "Южный": "Southern",
            "Приволжский": "Volga",
            "Уральский": "Ural",
            "Сибирский": "Siberian",
            "Дальневосточный": "Far Eastern",
        },
    ),
}


def upgrade() -> None:
    for table_name, (length, names) in ENGLISH.items():
        # A plain ADD COLUMN: a batch copy of a parent table would trip its children's foreign keys.
        op.add_column(table_name, sa.Column("name_en", sa.String(length=length), nullable=True))
        table = sa.table(table_name, sa.column("name", sa.String), sa.column("name_en", sa.String))
        for russian, english in names.items():
            op.execute(table.update().where(table.c.name == russian).values(name_en=english))


def downgrade() -> None:
    for table_name in ENGLISH:
        op.drop_column(table_name, "name_en")
