# syntax=docker/dockerfile:1
# The Provisioning Hub's container image (k8s/README.md, "Build the image"). Build from the repository root, which
# is the context because the hub is a multi-module Maven build (schemas, connectors, routes):
#
#   docker build -t registry.example.com/provisioning-hub:0.1.0 .
#
# Stage 1 builds the executable jar with the Maven wrapper on a JDK 17; stage 2 copies Spring Boot's layers
# (dependencies, loader, snapshot dependencies, application: the first change least) onto a JRE 17, so a code change
# rebuilds only the last small layer. The runtime fits k8s/base/deployment.yaml: uid 10001 (numeric, for
# runAsNonRoot), a read-only root file system (writes only under /var/lib/hub and /tmp, both emptyDirs there),
# /bin/sleep for the preStop hook (a distroless image has none).
# Pin the two base images by digest (image@sha256:...) in your build to make it reproducible.

FROM eclipse-temurin:17-jdk-noble AS build
WORKDIR /src
COPY . .
# BuildKit keeps the local Maven repository between builds; without BuildKit drop the --mount (slower, same result).
# Tests run in CI (.ci/run), not here.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -ntp -pl routes -am package -Dmaven.test.skip=true \
    && cp routes/target/hub-routes-*.jar /tmp/hub.jar \
    && java -Djarmode=tools -jar /tmp/hub.jar extract --layers --launcher --destination /tmp/layers

FROM eclipse-temurin:17-jre-noble
# uid/gid 10001, home /var/lib/hub (the Deployment mounts its `work` emptyDir there).
RUN groupadd --gid 10001 hub \
    && useradd --uid 10001 --gid 10001 --home-dir /var/lib/hub --no-create-home --shell /usr/sbin/nologin hub \
    && mkdir -p /var/lib/hub \
    && chown 10001:10001 /var/lib/hub
WORKDIR /opt/hub
COPY --from=build /tmp/layers/dependencies/ ./
COPY --from=build /tmp/layers/spring-boot-loader/ ./
COPY --from=build /tmp/layers/snapshot-dependencies/ ./
COPY --from=build /tmp/layers/application/ ./
# The working directory is writable: Tomcat's base directory (server.tomcat.basedir, /var/lib/hub/tomcat in
# k8s/base/application.yml) and, when the image runs the sandbox, its data/sandbox are under it.
WORKDIR /var/lib/hub
USER 10001:10001
# Device plane 8080 (HTTP) and 8443 (HTTPS), operator plane 8444, management plane 9090 (k8s/README.md).
EXPOSE 8080 8443 8444 9090
# Heap as a share of the container's memory limit, leaving room for metaspace, threads and direct buffers; the JVM's
# temporary files (and hsperfdata) in /tmp. Override with the variable in the Deployment.
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
ENTRYPOINT ["java", "-cp", "/opt/hub", "org.springframework.boot.loader.launch.JarLauncher"]
