# pipc: POSIX IPC objects toolkit. `make run`, `make check`, `make install`.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
# Beside the rest of PREFIX, where systemd looks for /usr and /usr/local;
# a package may pass SYSTEMDUNITDIR=$(pkg-config --variable=systemdsystemunitdir systemd).
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
CFLAGS ?= -O2 -g
WERROR ?=

BSD_CFLAGS := $(shell pkg-config --cflags libbsd-overlay 2>/dev/null)
BSD_LIBS := $(shell pkg-config --libs libbsd-overlay 2>/dev/null)
WARNINGS = -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2
ALL_CFLAGS = $(WARNINGS) $(WERROR) -D_GNU_SOURCE -Ilib $(BSD_CFLAGS) $(CFLAGS)
LIBS = $(BSD_LIBS) -lrt -lpthread -latomic

LIB_SRC = $(sort $(wildcard lib/*.c))
CMD_SRC = $(sort $(wildcard cmd/*.c))
OBJ = $(patsubst %.c,build/%.o,$(LIB_SRC) $(CMD_SRC))
MAN_SRC = $(sort $(wildcard man/*.scd))
MAN = $(patsubst man/%.scd,build/man/%,$(MAN_SRC))
UNITS = pipc-gc.service pipc-gc.timer pipc-metrics.service pipc-metrics.timer

all: pipc man

pipc: $(OBJ)
	$(CC) $(LDFLAGS) -o $@ $(OBJ) $(LIBS)

build/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

man: $(MAN)

# scdoc leaves an empty page when it fails: write aside, then move.
build/man/%: man/%.scd scripts/man-tidy.awk
	@mkdir -p $(@D)
	scdoc < $< > $@.raw && awk -f scripts/man-tidy.awk $@.raw > $@.tmp
	mv $@.tmp $@ && rm -f $@.raw

deps:
	@./scripts/deps

run: deps
	@$(MAKE) --no-print-directory all
	./pipc ls

# Both runs go on whatever fails; the last line is the total of the two.
check: deps
	@$(MAKE) --no-print-directory WERROR=-Werror all
	@$(MAKE) --no-print-directory WERROR=-Werror -C tests helpers
	mandoc -T lint -W warning $(MAN)
	@$(MAKE) --no-print-directory fuzz-regress
	@mkdir -p build/check && rm -f build/check/*
	@{ tests/run; echo $$? > build/check/plain.rc; } | tee build/check/plain.log
	@$(MAKE) --no-print-directory check-sanitize || :
	@scripts/check-total build/check/plain build/check/san

# The suite again against an ASan+UBSan build (tests/bin as it is). A report
# goes to build/san/log/, and any file there fails the run, whatever the
# test thought of the exit status; exitcode=86 keeps a report from passing
# for an expected exit 1. See tests/fuzz/README.md for the choices.
# clang: gcc 12's runtime writes its reports to stderr whatever log_path says.
SAN_CC = $(if $(shell command -v clang),clang,$(CC))
SAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -O1 -g
SAN_OBJ = $(patsubst %.c,build/san/%.o,$(LIB_SRC) $(CMD_SRC))
SAN_LOG = $(CURDIR)/build/san/log
SAN_ENV = PIPC_BIN=$(CURDIR)/build/san/pipc \
	ASAN_OPTIONS=log_path=$(SAN_LOG)/san:exitcode=86:detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=log_path=$(SAN_LOG)/san:exitcode=86:print_stacktrace=1:halt_on_error=1

# LeakSanitizer's note when a process it stops is killed meanwhile (teardown
# kills what a test left running): no finding, so not a failure.
SAN_NOISE = ^==[0-9]*==Unable to get registers from thread [0-9]*\.$$

build/san/pipc: $(SAN_OBJ)
	$(SAN_CC) $(SAN_FLAGS) $(LDFLAGS) -o $@ $(SAN_OBJ) $(LIBS)

build/san/%.o: %.c
	@mkdir -p $(@D)
	$(SAN_CC) $(WARNINGS) $(WERROR) -D_GNU_SOURCE -Ilib $(BSD_CFLAGS) \
		$(SAN_FLAGS) -MMD -MP -c -o $@ $<

check-sanitize: build/san/pipc
	@rm -rf $(SAN_LOG) && mkdir -p $(SAN_LOG) build/check && chmod 1777 $(SAN_LOG)
	@{ $(SAN_ENV) tests/run; echo $$? > build/check/san.rc; } | \
		tee build/check/san.log
	@if grep -qv "$(SAN_NOISE)" $(SAN_LOG)/* 2>/dev/null; then \
		echo 1 > build/check/san.rc; \
		echo "check-sanitize: sanitizer reports:"; cat $(SAN_LOG)/*; fi
	@[ "$$(cat build/check/san.rc)" = 0 ]

# libFuzzer harnesses (tests/fuzz/*.c) on the library, built with clang.
# `make fuzz` runs each FUZZ_SECONDS on a copy of its seed corpus;
# fuzz-regress replays the committed seeds and crashes once, if clang is here.
FUZZ_CC = clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -O1 -g
FUZZ_SRC = $(sort $(wildcard tests/fuzz/*.c))
FUZZ_BIN = $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_OBJ = $(patsubst %.c,build/fuzz/%.o,$(LIB_SRC))

build/fuzz/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(WARNINGS) -D_GNU_SOURCE -Ilib $(BSD_CFLAGS) $(FUZZ_FLAGS) \
		-fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

# An archive, so each harness links only the library objects it needs.
build/fuzz/libpipc.a: $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $(FUZZ_OBJ)

build/fuzz/%: tests/fuzz/%.c build/fuzz/libpipc.a
	$(FUZZ_CC) -std=c11 -Wall -Wextra -D_GNU_SOURCE -Ilib $(BSD_CFLAGS) \
		$(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< build/fuzz/libpipc.a \
		$(LIBS)

fuzz: $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do h=$${f#build/fuzz/}; \
		mkdir -p build/fuzz/corpus/$$h build/fuzz/crash/$$h && \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		-artifact_prefix=build/fuzz/crash/$$h/ build/fuzz/corpus/$$h \
		tests/fuzz/corpus/$$h || exit 1; done

fuzz-regress:
	@if command -v $(FUZZ_CC) >/dev/null; then \
		$(MAKE) --no-print-directory $(FUZZ_BIN) && \
		for f in $(FUZZ_BIN); do h=$${f#build/fuzz/}; \
		$$f -runs=0 tests/fuzz/corpus/$$h 2>build/fuzz/$$h.log || \
		{ cat build/fuzz/$$h.log; exit 1; }; done && \
		echo "fuzz-regress: every seed of $(notdir $(FUZZ_BIN)) passes"; \
	else echo "fuzz-regress: no $(FUZZ_CC): skipped"; fi

bench: deps
	@./scripts/deps --bench
	@$(MAKE) --no-print-directory all
	bench/run

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/bash-completion/completions \
		$(DESTDIR)$(DATADIR)/zsh/vendor-completions \
		$(DESTDIR)$(DATADIR)/fish/vendor_completions.d \
		$(DESTDIR)$(SYSTEMDUNITDIR)
	install -m 755 pipc $(DESTDIR)$(BINDIR)/pipc
	cmds=$$(./pipc __complete commands) && for c in $$cmds; do \
		ln -sf pipc $(DESTDIR)$(BINDIR)/pipc-$$c; done
	install -m 644 $(MAN) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 completions/pipc.bash \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/pipc
	install -m 644 completions/_pipc $(DESTDIR)$(DATADIR)/zsh/vendor-completions/_pipc
	install -m 644 completions/pipc.fish \
		$(DESTDIR)$(DATADIR)/fish/vendor_completions.d/pipc.fish
	# bash and fish load completions by command name: pipc-NAME too.
	cmds=$$(./pipc __complete commands) && for c in $$cmds; do \
		ln -sf pipc $(DESTDIR)$(DATADIR)/bash-completion/completions/pipc-$$c; \
		ln -sf pipc.fish \
		    $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/pipc-$$c.fish; \
		done
	# The units name the binary where it is installed, whatever PREFIX.
	for u in $(UNITS); do d=$(DESTDIR)$(SYSTEMDUNITDIR)/$$u; \
		if [ -f systemd/$$u.in ]; then \
		sed 's|@BINDIR@|$(BINDIR)|g' systemd/$$u.in > $$d.tmp && \
		chmod 644 $$d.tmp && mv $$d.tmp $$d; \
		else install -m 644 systemd/$$u $$d; fi || exit 1; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pipc $(DESTDIR)$(DATADIR)/bash-completion/completions/pipc \
		$(DESTDIR)$(DATADIR)/zsh/vendor-completions/_pipc \
		$(DESTDIR)$(DATADIR)/fish/vendor_completions.d/pipc.fish
	for f in $(DESTDIR)$(BINDIR)/pipc-* \
	    $(DESTDIR)$(DATADIR)/bash-completion/completions/pipc-*; do \
		if [ "$$(readlink "$$f")" = pipc ]; then rm -f "$$f"; fi; done
	for f in $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/pipc-*.fish; do \
		if [ "$$(readlink "$$f")" = pipc.fish ]; then rm -f "$$f"; fi; done
	for m in $(notdir $(MAN)); do rm -f $(DESTDIR)$(MANDIR)/man1/$$m; done
	for u in $(UNITS); do rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/$$u; done

clean:
	rm -rf build pipc
	@$(MAKE) --no-print-directory -C tests clean

.PHONY: all man deps run check bench install uninstall clean check-sanitize \
	fuzz fuzz-regress
-include $(OBJ:.o=.d) $(SAN_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)
