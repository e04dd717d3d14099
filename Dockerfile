# One image for every Stride process (web; workers join in later issues).
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
RUN useradd --system --uid 10001 --home-dir /app stride \
    && mkdir -p /app/var \
    && chown stride /app/var
USER stride

EXPOSE 8000
CMD ["gunicorn", "stride.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
