# Production image: one image for web (gunicorn), worker and beat (celery).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

# WeasyPrint renders PDF reports with Pango; fonts give it something to draw with.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are gathered at build time and served by WhiteNoise. The throwaway
# values only let settings load; the real ones come from the environment at run time.
RUN DEBUG=False SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost ENV_FILE=/nonexistent \
    python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 --home /app ctpat \
    && mkdir -p /data/media /data/beat \
    && chown -R ctpat /data
USER ctpat

EXPOSE 8000
CMD ["gunicorn", "ctpat.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
