# albench — see README.md.
GO      ?= go
ALBENCH := bin/albench
JOBS    ?= 0

.PHONY: all build bench tutorial synthetic lu2023 survey test test-short fuzz test-arm64 lint perf compare compare-large reference clean test-python

all: build

build:
	$(GO) build -o $(ALBENCH) ./cmd/albench

## bench: the benchmark of configs/bench.yaml into runs/bench/
bench: build
	$(ALBENCH) run -j $(JOBS) configs/bench.yaml

## tutorial: the PyTorch tutorial reproduced, into runs/tutorial/
tutorial: build
	$(ALBENCH) run -j $(JOBS) configs/tutorial.yaml

## lu2023: Lu et al. (TMLR 2023) reproduced: configs/lu2023.yaml into runs/lu2023/,
## then the comparison with the paper's table (runs/lu2023/paper-comparison.md)
lu2023: build
	$(ALBENCH) run -j $(JOBS) configs/lu2023.yaml
	$(GO) run ./compare/lu2023 -run runs/lu2023 > runs/lu2023/paper-comparison.md
	cat runs/lu2023/paper-comparison.md

## survey: every strategy of Zhan et al. / Lu et al. (and albench's) on six small survey
## sets: configs/survey.yaml into runs/survey/, then each strategy against the paper's
## column (runs/survey/paper-comparison.md)
SURVEY_COLUMNS := random=uniform,us-c=us_c,us-nc=us_nc,qbc=qbc,hintsvm=hintsvm,quire=quire,albl=albl,dwus=dwus,coreset=core_set,graph_density=graph,hierarchical=hier,info_diversity=infodiv,mcm=mcm,eer=eer,cluster_margin=cluster_margin,typiclust=typiclust,probcover=probcover,batchbald=batchbald,oracle_greedy=oracle_greedy,oracle_bso=bso
survey: build
	$(ALBENCH) run -j $(JOBS) configs/survey.yaml
	$(GO) run ./compare/lu2023 -run runs/survey -paper compare/survey/paper.csv -columns $(SURVEY_COLUMNS) > runs/survey/paper-comparison.md
	cat runs/survey/paper-comparison.md

## synthetic: configs/synthetic.yaml into runs/synthetic/
synthetic: build
	$(ALBENCH) run -j $(JOBS) configs/synthetic.yaml

## test: vet and the race-checked test suite (what CI runs)
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 40m ./...
	$(GO) test -count=1 -run TestPeakRSS -v ./cmd/albench/

## test-arm64: the golden run (cmd/albench/testdata/golden) as an arm64 binary under
## qemu-user, byte for byte against the amd64 goldens, and fmath's digest test (CI)
GOLDEN := cmd/albench/testdata/golden
QEMU   ?= qemu-aarch64
test-arm64:
	CGO_ENABLED=0 GOARCH=arm64 $(GO) build -o bin/arm64/albench ./cmd/albench
	CGO_ENABLED=0 GOARCH=arm64 $(GO) test -c -o bin/arm64/fmath.test ./internal/fmath
	cd internal/fmath && $(QEMU) ../../bin/arm64/fmath.test -test.short
	rm -rf bin/arm64/golden
	$(QEMU) bin/arm64/albench run -q -kernel portable -out bin/arm64/golden $(GOLDEN)/golden.yaml
	cmp bin/arm64/golden/trials.csv $(GOLDEN)/trials.csv
	for d in cls iris moons blobs; do $(QEMU) bin/arm64/albench data -dataset $$d $(GOLDEN)/golden.yaml || exit 1; done \
		| sha256sum | cut -d' ' -f1 | cmp - $(GOLDEN)/data.sha256
	@echo "arm64 under qemu: trials.csv and albench data byte-identical to the amd64 goldens"

## test-python: the Python plugin helper's unit tests and every examples/plugins config
## through albench: the scikit-learn SVC plugin against the svm learner, the modAL-style
## strategy against least_confidence and margin, the PyTorch MLP when torch imports
## (needs python3-numpy python3-sklearn, optionally python3-torch); not part of make test
test-python: build
	ALBENCH=$(CURDIR)/$(ALBENCH) $(GO) test -tags pythonplugins -count=1 -timeout 20m -v ./examples/plugins/

test-short:
	$(GO) test -short ./...

## fuzz: every fuzzer for FUZZTIME (1m) each; not part of make test
FUZZTIME ?= 1m
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./experiments/
	$(GO) test -run '^$$' -fuzz '^FuzzCSV$$' -fuzztime $(FUZZTIME) ./experiments/datasets/
	$(GO) test -run '^$$' -fuzz '^FuzzLIBSVM$$' -fuzztime $(FUZZTIME) ./experiments/datasets/
	$(GO) test -run '^$$' -fuzz '^FuzzReadTrials$$' -fuzztime $(FUZZTIME) ./results/records/
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./plugin/

## lint: gofmt, vet and staticcheck
lint:
	@test -z "$$(gofmt -l .)" || (echo "gofmt would change:"; gofmt -l .; exit 1)
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

## perf: the kernel and trial benchmarks
perf:
	$(GO) test -run '^$$' -bench . -benchmem ./nets/ ./strategies/ ./harness/

## clean: remove build and run outputs (bin/ and runs/), nothing else
clean:
	rm -rf bin runs

## compare: albench vs PyTorch side by side (needs python3-torch python3-sklearn); not part of make test
compare:
	bash compare/compare.sh

## compare-large: albench vs PyTorch float32 on a 70,000-row pool, every strategy (compare/large.yaml); OLD_ALBENCH=path adds the whole run against that binary
compare-large:
	bash compare/compare_large.sh

## reference: refresh the committed reference report (docs/reference) from make bench
reference: bench
	rm -rf docs/reference && mkdir -p docs/reference/figures
	cp runs/bench/report.md docs/reference/
	cp runs/bench/figures/*.png docs/reference/figures/
