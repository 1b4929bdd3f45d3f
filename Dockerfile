# connect-gate as a Docker container action. The runner mounts the checkout at /github/workspace
# and runs this image there; inputs arrive as INPUT_* variables (hyphens kept), so the entry point
# is exec-form: no shell in between to drop variables whose names contain "-".
FROM python:3.11.7-slim-bookworm

# git: `changed-only` asks git which migration files the pull request touches.
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/* \
    && git config --system --add safe.directory '*'

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
COPY requirements.txt /app/requirements.txt
RUN pip install --no-deps -r /app/requirements.txt

COPY entrypoint.py /app/entrypoint.py
COPY connect_gate /app/connect_gate
COPY checks /app/checks

ENTRYPOINT ["python", "/app/entrypoint.py"]
