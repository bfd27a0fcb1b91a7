# captiond image, built from the source: on a fresh clone `docker compose up -d` is the whole set-up.

# Stage 1: Maven and a JDK 17 build the jar. The tests run in CI, not in every image build.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
# the dependencies in a layer of their own: a source change does not download them again
RUN mvn -B -q dependency:go-offline
COPY src/ src/
COPY routes/ routes/
RUN mvn -B -q package -DskipTests

# Stage 2: a JRE 17 and the outside programs captiond runs: libheif's tools (HEIC/HEIF/AVIF),
# jpegtran (lossless JPEG turns) and ffmpeg, on Debian 12 (the libheif build captiond is tested with).
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless libheif-examples libjpeg-turbo-progs \
      ffmpeg tzdata curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /src/target/captiond.jar /app/captiond.jar
COPY routes/ /app/routes/
COPY bin/captiond /app/bin/captiond
# the extracted jar and its class data sharing archive, made once here instead of at every start
ENV CAPTIOND_JAR=/app/captiond.jar
RUN chmod 0755 /app/bin/captiond && /app/bin/captiond --prepare && test -f /app/captiond.jar.cds/captiond.jsa
COPY docker/entrypoint.sh /usr/local/bin/captiond-entrypoint
RUN chmod 0755 /usr/local/bin/captiond-entrypoint
ENV CAPTIOND_INBOX=/data/inbox CAPTIOND_WORK=/data/work CAPTIOND_OUTBOX=/data/outbox CAPTIOND_FAILED=/data/failed \
    PUID=1000 PGID=1000 TZ=UTC JAVA_OPTS="-XX:MaxRAMPercentage=50"
EXPOSE 8077
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD curl -fsS http://localhost:8077/actuator/health || exit 1
# starts as root only to hand the folders to PUID:PGID, then runs captiond as that user
ENTRYPOINT ["/usr/local/bin/captiond-entrypoint"]
