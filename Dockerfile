# syntax=docker/dockerfile:1
# Build stage: install the package and its pinned dependencies into a virtualenv.
FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml constraints.txt README.md ./
COPY pipedrive_graphql ./pipedrive_graphql
RUN pip install --no-cache-dir -c constraints.txt .

# Runtime stage: only the virtualenv, run as an unprivileged user.
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 app
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    HOST=0.0.0.0 \
    PORT=8000 \
    PYTHONUNBUFFERED=1
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=5s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz\", timeout=2)"]
CMD ["uvicorn", "--factory", "pipedrive_graphql.app:create_app", "--host", "0.0.0.0", "--port", "8000", "--no-access-log"]
