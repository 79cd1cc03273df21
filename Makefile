GO ?= go

.PHONY: build test
build:
	$(GO) build -o bin/vigil ./cmd/vigil

test:
	$(GO) vet ./...
	$(GO) test ./...
