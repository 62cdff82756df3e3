# Build: docker build -t salama .
# Run:   docker compose up -d   (compose.yaml: Salama and Redis, secrets from .env; docs/operations.md)
#
# Base images are pinned by digest, the tag kept for the reader. To move to newer ones, look the
# digests up and replace them (then rebuild and run the tests):
#   docker buildx imagetools inspect rust:1.95-slim-bookworm
#   docker buildx imagetools inspect debian:bookworm-slim
FROM rust:1.95-slim-bookworm@sha256:d7482085ff5b415f84dba5647ae71606650bdef00db7aeb69f4b3d170c3e4082 AS build
WORKDIR /src
ENV CARGO_PROFILE_RELEASE_STRIP=symbols
# The dependencies, in a layer of their own that only a change to Cargo.toml or Cargo.lock
# rebuilds: the manifest with empty sources (and the test and bench targets it declares, which
# cargo looks for even when it builds only the binary) compiles them all.
COPY Cargo.toml Cargo.lock ./
# Build settings (Poly1305's backend): see the file.
COPY .cargo ./.cargo
RUN mkdir -p src benches tests/it \
 && echo 'fn main() {}' > src/main.rs \
 && echo 'fn main() {}' > tests/it/main.rs \
 && touch src/lib.rs \
 && for bench in escalation triage; do echo 'fn main() {}' > benches/$bench.rs; done \
 && cargo build --release --locked \
 && rm -rf src target/release/.fingerprint/salama-* target/release/deps/salama-* target/release/deps/libsalama-*
COPY src ./src
RUN cargo build --release --locked --bin salama

FROM debian:bookworm-slim@sha256:3783cc01769c7b2b1b83a5c5ad96c815348e28ed7da68e2e3687004faa906251
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
# `salama probe` GETs /readyz on the bind address: healthy when the store answers.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["salama", "probe"]
ENTRYPOINT ["salama"]
CMD ["serve"]
