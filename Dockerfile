# syntax=docker/dockerfile:1
# Multi-stage build: the SPA (wasm) and the server in a Rust image, then a slim runtime image
# holding only the binary, the SPA bundle and libpq.

FROM rust:1-bookworm AS build
WORKDIR /src
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq-dev \
 && rm -rf /var/lib/apt/lists/* \
 && rustup target add wasm32-unknown-unknown
COPY . .
RUN cargo xtask build-frontend \
 && cargo build --release --package backend --bin examcloud

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home /app examcloud
WORKDIR /app
COPY --from=build /src/target/release/examcloud /usr/local/bin/examcloud
COPY --from=build /src/frontend/dist /app/frontend/dist
USER examcloud
ENV APP_SERVER__HOST=0.0.0.0 \
    APP_SERVER__PORT=8080 \
    APP_LOG__FORMAT=json \
    APP_FRONTEND__DIST_DIR=/app/frontend/dist
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=3 CMD ["/bin/sh", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
ENTRYPOINT ["examcloud"]
CMD ["serve"]
