# captiond image: JRE 17 + libheif's tools and ffmpeg on Debian 12 (the builds captiond is tested with).
# Build the jar first (./mvnw -B package -DskipTests), then: docker compose build
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless libheif-examples ffmpeg curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 1000 --home-dir /app captiond
WORKDIR /app
COPY target/captiond.jar /app/captiond.jar
COPY routes/ /app/routes/
USER captiond
ENV CAPTIOND_INBOX=/data/inbox CAPTIOND_WORK=/data/work CAPTIOND_OUTBOX=/data/outbox CAPTIOND_FAILED=/data/failed
EXPOSE 8077
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD curl -fsS http://localhost:8077/actuator/health || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-jar", "/app/captiond.jar"]
