# Bibblix production image: one image for web, worker and scheduler (compose.yaml runs all three).
# Multi-stage: npm parts and Python wheels are built in their own stages; the final image has
# no compilers, no npm, runs as an unprivileged user and carries the collected static files.

# --- front-end parts from npm (pinned in frontend/package-lock.json) ------------------------
FROM node:22-bookworm-slim AS frontend
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

# --- Python dependencies (pinned in pyproject.toml) ------------------------------------------
FROM python:3.11-slim-bookworm AS python
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /build
COPY pyproject.toml README.md ./
COPY bibblix ./bibblix
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --upgrade pip \
 && /opt/venv/bin/pip install '.[s3]'

# --- the running image ---------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime
# WeasyPrint (status reports, invoices as PDF) needs Pango; curl is for the health checks.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-dejavu-core curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin bibblix
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    BIBBLIX_ENV=production \
    BIBBLIX_VAR_DIR=/var/lib/bibblix \
    STATIC_ROOT=/app/static
WORKDIR /app
COPY --from=python /opt/venv /opt/venv
COPY manage.py pyproject.toml ./
COPY bibblix ./bibblix
COPY --from=frontend /build/frontend/node_modules ./frontend/node_modules
# Static files with hashed names for WhiteNoise; the settings need their production variables,
# so collectstatic gets throw-away values that never reach the running container.
RUN SECRET_KEY=collectstatic CARD_HASH_KEY=collectstatic ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/collectstatic.sqlite3 \
    python manage.py collectstatic --no-input -v 0 \
 && rm -f /tmp/collectstatic.sqlite3 \
 && mkdir -p /var/lib/bibblix && chown bibblix /var/lib/bibblix
USER bibblix
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["gunicorn", "bibblix.wsgi", "--worker-class", "gthread", "--workers", "2", "--threads", "8", \
     "--reuse-port", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
