# The bot's image: `docker build -t field-crm-bot .`, then `docker run --env-file .env -v crm-data:/app/data
# field-crm-bot` (SQLite under /app/data), or compose.yaml for the scaled-out setup.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The sources stay in /app and the bot runs from there: `python -m bot` imports them from the working
# directory and finds the message catalogs in /app/locales. `pip install .` brings the dependencies.
COPY pyproject.toml README.md alembic.ini ./
COPY bot ./bot
COPY db ./db
COPY domain ./domain
COPY handlers ./handlers
COPY locales ./locales
RUN pip install . \
    && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin crm \
    && mkdir -p /app/data \
    && chown crm:crm /app/data

USER crm

# Webhook mode listens here when WEBHOOK_LISTEN=0.0.0.0:8080; /healthz and /metrics are served on it too.
EXPOSE 8080

CMD ["python", "-m", "bot"]
