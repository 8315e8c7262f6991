# syntax=docker/dockerfile:1
# Vigie: a static binary on a distroless, non-root image. Time zones are
# embedded in the binary (time/tzdata), so the image needs no zoneinfo.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/vigie ./bot/cmd/vigie \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/vigie /usr/local/bin/vigie
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME ["/data"]
ENV VIGIE_DB=/data/vigie.db
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["/usr/local/bin/vigie", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/vigie"]
CMD ["serve"]
