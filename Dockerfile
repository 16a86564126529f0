# syntax=docker/dockerfile:1
# Builds the pgmux jar in a Maven stage and runs it on a JRE.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The Maven repository lives in a build cache that outlasts this layer, so a change to the sources downloads
# nothing again; only changed poms fetch what they add.
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
COPY --from=build /src/proxy-server/target/pgmux.jar /opt/pgmux/pgmux.jar
EXPOSE 6432 9930
USER 65534
ENTRYPOINT ["java", "-jar", "/opt/pgmux/pgmux.jar"]
