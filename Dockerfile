# aiprogress: the bots, the scheduler and /healthz + /metrics in one process (`aiprogress run`).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    AIPROGRESS_HTTP_HOST=0.0.0.0 \
    AIPROGRESS_LOG_JSON=true

WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip install . && useradd --create-home --uid 10001 aiprogress
USER aiprogress
WORKDIR /home/aiprogress

EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status != 200)"

# SIGTERM stops it cleanly: no new jobs, bots stop, an unfinished delivery is resumed later.
CMD ["aiprogress", "run"]
