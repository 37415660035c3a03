#!/usr/bin/env bash
# Invokes the packaged function (target/function.zip) locally, the way the managed Java runtime does, with no SAM
# or Docker: the AWS Lambda Runtime Interface Client runs the unzipped package against a small Runtime API server
# (src/test/java/dev/edgeiam/lambda/local). Each event's response is printed as one line on stdout; the function's
# logs go to stderr.
#
#   ./run-local.sh events/rest-request.json [more-events.json ...]
#
# Builds the package first if it is missing or older than the sources. Policies come from the embedded default,
# the bundled sample account (src/main/resources/snapshot/sample-account.json), unless AUTHORIZER_* says otherwise.
# Caller tokens in events/ are signed with the TEST-ONLY development key (src/test/resources/dev-keys); this script
# trusts that development issuer unless AUTHORIZER_JWKS_URL / _ISSUER / _AUDIENCE are already set. template.yaml
# never does.
set -euo pipefail

project=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [ $# -eq 0 ]; then
  echo "usage: $0 EVENT.json [EVENT.json ...]" >&2
  exit 2
fi

zip="$project/target/function.zip"
harness="$project/target/test-classes/dev/edgeiam/lambda/local/LocalLambdaRuntime.class"
if [ ! -f "$zip" ] || [ ! -f "$harness" ] || [ ! -d "$project/target/lambda-ric" ] \
    || [ -n "$(find "$project/src" "$project/pom.xml" -path "$project/src/bench" -prune -o -newer "$zip" -type f -print -quit)" ]; then
  echo "run-local: building the package (./mvnw -B package -DskipTests)" >&2
  (cd "$project" && ./mvnw -B -q package -DskipTests) >&2
fi

export AUTHORIZER_JWKS_URL="${AUTHORIZER_JWKS_URL:-file:$project/src/test/resources/dev-keys/jwks.json}"
export AUTHORIZER_ISSUER="${AUTHORIZER_ISSUER:-https://issuer.dev.edgeiam.test}"
export AUTHORIZER_AUDIENCE="${AUTHORIZER_AUDIENCE:-connect-authorizer-dev}"

exec "$java" -cp "$project/target/test-classes" dev.edgeiam.lambda.local.LocalLambdaRuntime \
  --function "$zip" --ric-dir "$project/target/lambda-ric" "$@"
