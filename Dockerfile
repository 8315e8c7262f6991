# syntax=docker/dockerfile:1
# Vigie: a static binary on a distroless, non-root image. Time zones are
# embedded in the binary (time/tzdata), so the image needs no zoneinfo.
# Images are named in full (registry/namespace/name): a daemonless builder
# such as buildah or kaniko has no default registry and refuses short names.
FROM docker.io/library/golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/vigie ./bot/cmd/vigie \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
# The version is the release's: docker build --build-arg VERSION=1.2.0 .
ARG VERSION=dev
LABEL org.opencontainers.image.title="Vigie" \
      org.opencontainers.image.description="Crisis-cell bot for a cyber incident in a French health structure: alert chain, mandatory notifications and a signed main courante, on Mattermost, Slack or a terminal" \
      org.opencontainers.image.source="https://github.com/vigie-sante/vigie" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="EUPL-1.2"
COPY --from=build /out/vigie /usr/local/bin/vigie
# The EUPL asks for a copy of the licence with every copy of the Work.
COPY LICENSE /usr/share/doc/vigie/LICENSE
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME ["/data"]
ENV VIGIE_DB=/data/vigie.db
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/usr/local/bin/vigie", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/vigie"]
CMD ["serve"]
