# Bureau Volant: the Matrix/Tchap bot in a small image.
#   docker build -t bureau-volant .
#   docker run -d --name bureau-volant -v bureau-volant-data:/data --env-file bot.env bureau-volant
# /data holds the SQLite database and the Matrix store (login, device keys, sync position):
# keep it on a volume, it is what makes the bot the same device across restarts.
# See docs/tchap.md.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN python -m venv /opt/venv
# Dependencies first, in their own layer: they change less often than the code.
COPY pyproject.toml README.md ./
RUN mkdir -p bot storage && touch bot/__init__.py storage/__init__.py \
    && /opt/venv/bin/pip install . \
    && /opt/venv/bin/pip uninstall --yes bureau-volant
COPY babel.cfg ./
COPY bot ./bot
COPY storage ./storage
COPY locales ./locales
# Editable install: the code and its translations stay in /app, where bot/i18n.py finds them.
RUN /opt/venv/bin/pip install --no-deps -e . \
    && /opt/venv/bin/pybabel -q compile -d locales \
    && /opt/venv/bin/python -m compileall -q bot storage

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite+aiosqlite:////data/bureau-volant.sqlite3 \
    MATRIX_STORE_PATH=/data/matrix \
    HTTP_PORT=8080 \
    HTTP_HOST=0.0.0.0
RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin bureau \
    && mkdir -p /data && chown bureau:bureau /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
USER bureau
WORKDIR /data
VOLUME ["/data"]
# /healthz and /metrics, for the orchestrator and Prometheus (not for the public internet).
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('HTTP_PORT', '8080'), timeout=4)"]
# The schema is brought to the code's version before any command (a no-op when it already is).
ENTRYPOINT ["/bin/sh", "-c", "bureau-volant db upgrade && exec \"$@\"", "bureau-volant"]
CMD ["bureau-volant", "run"]
