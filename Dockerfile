# One image for every Stride process: web, grading worker, results worker, beat and the
# one-shot setup (see docker-compose.yml). Everything runs as the unprivileged user
# "stride" except the grading worker, which needs root in its container for the sandbox.
FROM node:20-bookworm-slim AS frontend
# The browser side (frontend/): npm packages, bundled by esbuild into frontend/dist/.
WORKDIR /frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # platform/ holds the Django project "stride"; it is a folder on the path, never a package.
    PYTHONPATH=/app/platform

# bubblewrap: the grader's sandbox.
RUN apt-get update \
    && apt-get install -y --no-install-recommends bubblewrap \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
COPY --from=frontend /frontend/dist /app/frontend/dist
RUN useradd --system --uid 10001 --home-dir /app stride \
    && mkdir -p /app/var \
    && chown stride /app/var
USER stride

EXPOSE 8000
CMD ["gunicorn", "stride.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
