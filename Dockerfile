# Build: docker build -t partnerships-api .
# Dependencies are built in their own layer (cargo-chef), so a source change
# rebuilds only the workspace's crates, not the ~450 it depends on.
FROM rust:1.95-slim-bookworm AS chef
RUN cargo install cargo-chef --locked --version 0.1.78
WORKDIR /src

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS build
COPY --from=planner /src/recipe.json recipe.json
RUN cargo chef cook --release --locked --package api --recipe-path recipe.json
COPY . .
RUN cargo build --release --locked --package api

FROM debian:bookworm-slim
# Unpinned on purpose: the stable release's security updates come with each rebuild.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --create-home --home-dir /app --shell /usr/sbin/nologin app
# /app belongs to `app`: the default SQLite file (partners.db) can be created there.
WORKDIR /app
COPY --from=build /src/target/release/api /usr/local/bin/api
USER 10001:10001
ENV HOST=0.0.0.0 PORT=8000
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD ["curl", "-fsS", "http://127.0.0.1:8000/readyz"]
CMD ["api", "serve"]
