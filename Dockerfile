# connect-gate as a Docker container action. The runner mounts the checkout at /github/workspace
# and runs this image there; inputs arrive as INPUT_* variables (hyphens kept), so the entry point
# is exec-form: no shell in between to drop variables whose names contain "-".
# No git in the image (with perl it was a third of it): `changed-only` reads the checkout's .git
# with dulwich, one of the pinned requirements.

# Build stage: install the pinned requirements (with every transitive one, hence --no-deps) and drop
# the debug sections of their compiled modules (pglast's parser: 28 MB, 4 MB without them).
FROM python:3.11.7-slim-bookworm AS build
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends binutils \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt /app/requirements.txt
RUN pip install --no-cache-dir --disable-pip-version-check --no-deps --target /app/deps -r /app/requirements.txt \
    && find /app/deps -name '*.so' -exec sh -c \
        'for so; do if readelf -S "$so" | grep -q debug_info; then strip --strip-debug "$so"; fi; done' _ {} +

FROM python:3.11.7-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/app/deps
COPY --from=build /app/deps /app/deps
COPY entrypoint.py /app/entrypoint.py
COPY connect_gate /app/connect_gate
COPY checks /app/checks

ENTRYPOINT ["python", "/app/entrypoint.py"]
