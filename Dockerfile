# zhibu: one process, one SQLite file on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    ZHIBU_DB=/data/zhibu.db

# A CJK font for the charts' Chinese labels (matplotlib finds it through fontconfig's directories).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-wqy-microhei \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY templates ./templates
RUN pip install . && useradd --system --uid 10001 --home-dir /data zhibu \
    && mkdir -p /data && chown zhibu /data

USER zhibu
VOLUME ["/data"]
WORKDIR /data
# Back up with: docker exec <container> zhibu backup /data/backup-$(date +%F).db
CMD ["zhibu", "run"]
