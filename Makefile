# her2mri — the two commands a newcomer needs:
#   make demo   build (release) and run the demonstration
#   make test   build (release) and run the whole test suite
# Each installs the Debian packages it needs when they are missing (apt-get; sudo when not root).

SHELL := /bin/bash
SWIFT ?= swift
CONFIG := -c release
DEMO_OUT ?= demo-output

# Debian 12 packages the build and the tests need.
DEBIAN_PACKAGES := pkg-config libopenblas-dev liblapacke-dev zlib1g-dev libcairo2-dev \
	libxml2-dev libssl-dev fonts-dejavu-core libsqlite3-dev poppler-utils libdnnl-dev \
	libcharls-dev libopenjp2-7-dev libjpeg62-turbo-dev python3-nibabel python3-pydicom \
	qpdf dicom3tools python3-lxml python3-venv fonts-wqy-zenhei

.PHONY: setup build demo test clean bench

setup:
	@missing=""; \
	for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	  $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@# The HL7 peers (hl7apy, python-hl7) exist only on PyPI: a small venv for tools/reports/check_hl7.py.
	@test -x tools/.venv-reports/bin/python || { echo "Installing hl7apy and hl7 into tools/.venv-reports (PyPI)"; \
	  python3 -m venv tools/.venv-reports && tools/.venv-reports/bin/pip install -q hl7apy hl7 lxml || \
	  echo "warning: tools/.venv-reports could not be made; the HL7 ER7 check will be skipped"; }

build: setup
	$(SWIFT) build $(CONFIG)

# The demo needs only the her2mri executable (not the benchmarks): a shorter first build.
demo: setup
	$(SWIFT) build $(CONFIG) --product her2mri
	"$$($(SWIFT) build $(CONFIG) --show-bin-path)/her2mri" demo --out "$(DEMO_OUT)"

test: setup
	$(SWIFT) test $(CONFIG)

# Deep-feature backbones beside PyTorch and ONNX Runtime, measured in one run (tools/deep_bench.py).
bench: build
	@test -x tools/.venv-deep/bin/python || { echo "Installing PyTorch, timm and ONNX Runtime into tools/.venv-deep (PyPI, about 3 GB)"; \
	  python3 -m venv tools/.venv-deep && tools/.venv-deep/bin/pip install -q torch torchvision timm safetensors onnx onnxruntime; }
	tools/.venv-deep/bin/python tools/deep_bench.py --swift-bin "$$($(SWIFT) build $(CONFIG) --show-bin-path)/her2mri" $(BENCH_ARGS)

clean:
	rm -rf .build "$(DEMO_OUT)"
