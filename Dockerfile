# Netwerkregie's container image: small, non-root, static files collected at build time.
# Build:  docker build -t netwerkregie .
# Run:    see compose.yaml and README ("Production"); the image's roles are in deploy/entrypoint.

# --- The NL Design System's CSS, exactly as package-lock.json pins it ---------------------------
FROM node:22.12.0-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

# --- Netwerkregie as a wheel, and the compiled translations ----------------------------------------
# Every Python package comes from requirements/runtime.txt, checked against the hashes there.
FROM python:3.11.11-slim-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY requirements/runtime.txt ./requirements/
RUN pip install --no-cache-dir --require-hashes -r requirements/runtime.txt
COPY pyproject.toml manage.py ./
COPY src ./src
RUN (cd src/netwerkregie && python -m django compilemessages -v 0) \
 && pip wheel --no-cache-dir --no-deps --no-build-isolation --wheel-dir /wheels .

# --- The runtime image ------------------------------------------------------------------------
FROM python:3.11.11-slim-bookworm
# WeasyPrint's Pango and a font for the PDFs; pg_dump/pg_restore (15, as the database) for backups.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core postgresql-client-15 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin netwerkregie
COPY requirements/runtime.txt /tmp/runtime.txt
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --require-hashes -r /tmp/runtime.txt \
 && pip install --no-cache-dir --no-deps /wheels/*.whl \
 && rm -rf /wheels /tmp/runtime.txt
WORKDIR /app
COPY --from=assets /build/node_modules ./node_modules
COPY --from=build /build/src ./src
COPY manage.py ./
COPY deploy ./deploy
ENV DJANGO_SETTINGS_MODULE=netwerkregie.settings \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    NODE_MODULES_DIR=/app/node_modules \
    STATIC_ROOT=/app/static \
    NETWERKREGIE_VAR_DIR=/var/lib/netwerkregie \
    PRIVATE_MEDIA_ROOT=/var/lib/netwerkregie/private-media \
    BACKUP_DIR=/var/lib/netwerkregie/backups \
    AUDIT_WITNESS_PATH=/var/lib/netwerkregie-witness/audit-chain.jsonl
# Collected (hashed, compressed) at build time with throw-away values: no secret enters the image.
RUN SECRET_KEY=build IDENTIFIER_HASH_KEY=build python manage.py collectstatic --no-input -v 0 \
 && mkdir -p /var/lib/netwerkregie /var/lib/netwerkregie-witness \
 && chown netwerkregie: /var/lib/netwerkregie /var/lib/netwerkregie-witness \
 && chmod 700 /var/lib/netwerkregie-witness
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=4).status == 200 else 1)"]
ENTRYPOINT ["/app/deploy/entrypoint"]
CMD ["web"]
