# syntax=docker/dockerfile:1
# Builds the pgmux jar in a Maven stage, trains a JDK 25 AOT cache on a short storm, and runs pgmux on a JRE 25
# with that cache and the JVM settings of deploy/jvm.options (the code targets Java 17; JDK 25 only adds the cache).
FROM maven:3.9-eclipse-temurin-25 AS build
WORKDIR /src
# The Maven repository lives in a build cache that outlasts this layer, so a change to the sources downloads
# nothing again; only changed poms fetch what they add.
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests
# The AOT cache is valid only for this JDK build and this jar at this path, so the jar is trained where it will run.
RUN mkdir -p /opt/pgmux && cp proxy-server/target/pgmux.jar /opt/pgmux/pgmux.jar \
 && cp deploy/jvm.options /opt/pgmux/jvm.options \
 && deploy/aot-training.sh /opt/pgmux/pgmux.jar load-tests/target/pgmux-loadtest.jar \
      load-tests/scenarios/aot-training.yaml /opt/pgmux/pgmux.aot

FROM eclipse-temurin:25-jre
COPY --from=build /opt/pgmux /opt/pgmux
EXPOSE 6432 9930
USER 65534
# Two glibc malloc arenas, as deploy/pgmux sets: freed C memory of the JIT threads would otherwise stay resident.
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["java", "@/opt/pgmux/jvm.options", "-XX:AOTCache=/opt/pgmux/pgmux.aot", "-jar", "/opt/pgmux/pgmux.jar"]
