# syntax=docker/dockerfile:1
# The base image is pinned by exact tag (Python patch release and Debian release). Pin it by
# digest too where you can resolve one (`docker buildx imagetools inspect python:3.11.11-slim-bookworm`):
# the digest could not be looked up where this file was written.
ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

# Build stage: the runtime dependencies first (a layer that changes only with pyproject.toml or
# constraints.txt), then the package itself without dependencies.
FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
RUN python -m venv --without-pip /opt/venv
COPY pyproject.toml constraints.txt ./
# [project.dependencies] only: no dev, bench or otel extras
RUN python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" > runtime-requirements.txt \
 && pip --python /opt/venv/bin/python install -c constraints.txt -r runtime-requirements.txt
COPY README.md ./
COPY pipedrive_graphql ./pipedrive_graphql
RUN pip --python /opt/venv/bin/python install --no-deps .

# Runtime stage: the virtualenv (no pip in it), no pip or setuptools in the image either.
FROM ${PYTHON_IMAGE}
RUN python -m pip uninstall --yes pip setuptools wheel \
 && rm -rf /usr/local/lib/python3.11/ensurepip \
 && useradd --create-home --uid 10001 app
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    HOST=0.0.0.0 \
    PORT=8000 \
    PYTHONUNBUFFERED=1
USER 10001
EXPOSE 8000
# The listener and the health check both read $PORT (`docker run -e PORT=9000` moves both).
HEALTHCHECK --interval=15s --timeout=3s --start-period=5s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz\", timeout=2)"]
# The CLI: settings are checked first (a bad one: one line, exit 2); no token: it says that it
# serves the embedded emulator's demo data and how to point it at a real account.
CMD ["pipedrive-graphql", "serve"]
