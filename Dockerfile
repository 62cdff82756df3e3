# Build: docker build -t salama .
# Run:   docker run -p 8080:8080 -e SALAMA__REDIS__URL=redis://redis:6379 \
#          -e SALAMA__PRIVACY__PSEUDONYM_SECRET=... -e SALAMA__PRIVACY__ENCRYPTION_KEYS=k1:... salama
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
# Declared targets must exist for cargo to read the manifest.
COPY benches ./benches
COPY tests ./tests
RUN cargo build --release --locked

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home salama
WORKDIR /app
COPY --from=build /src/target/release/salama /usr/local/bin/salama
COPY salama.toml rota.toml ./
COPY flows ./flows
COPY locales ./locales
USER salama
ENV SALAMA__BIND=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["salama"]
CMD ["serve"]
