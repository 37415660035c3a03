# Used by `sam build` (template.yaml: Metadata BuildMethod makefile). ARTIFACTS_DIR is set by SAM.
# AUTHORIZER_PACKAGING=native builds the GraalVM/Mandrel executable (needs GraalVM or a container engine).
AUTHORIZER_PACKAGING ?= jvm

build-AuthorizerFunction:
ifeq ($(AUTHORIZER_PACKAGING),native)
	./mvnw -B package -DskipTests -Dnative -Dquarkus.native.container-build=true
else
	./mvnw -B package -DskipTests
endif
	cd "$(ARTIFACTS_DIR)" && unzip -o "$(CURDIR)/target/function.zip"

# The refresher is the same artifact with another handler (QUARKUS_LAMBDA_HANDLER=refresher).
build-RefresherFunction: build-AuthorizerFunction
