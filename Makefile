# pipc: POSIX IPC objects toolkit. `make run`, `make check`, `make install`.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
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
LIB_OBJ = $(patsubst %.c,build/%.o,$(LIB_SRC))
CMD_OBJ = $(patsubst %.c,build/%.o,$(CMD_SRC))
OBJ = $(LIB_OBJ) $(CMD_OBJ)
PIC_OBJ = $(patsubst %.c,build/pic/%.o,$(LIB_SRC))
MAN_SRC = $(sort $(wildcard man/*.scd))
MAN = $(patsubst man/%.scd,build/man/%,$(MAN_SRC))
MAN1 = $(filter %.1,$(MAN))
MAN3 = $(filter %.3,$(MAN))
# Each other function a page's NAME names gets a link to it (FUNC.3 ->
# PAGE.3), so that man FUNC finds it; mandoc finds .so pages fragile.
MAN3_LINKS = $(shell awk '/^\# NAME/ { n = 1; t = ""; next } \
	n && /^\#/ { n = 0; sub(/ - .*/, "", t); gsub(/,/, " ", t); \
	p = FILENAME; sub(/.*\//, "", p); sub(/\.scd$$/, "", p); \
	k = split(t, f, " "); for (i = 1; i <= k; i++) \
	if (f[i] ".3" != p) print f[i] ".3:" p } n { t = t " " $$0 }' \
	$(filter %.3.scd,$(MAN_SRC)))
UNITS = pipc-gc.service pipc-gc.timer pipc-metrics.service pipc-metrics.timer

# libpipc: the ABI is LIBPIPC_1 (lib/libpipc.map), recorded in
# lib/libpipc.abi; a change that breaks it takes a new SOMAJOR.
SOMAJOR = 1
SOVERSION = $(SOMAJOR).0.0
SONAME = libpipc.so.$(SOMAJOR)
SHLIB = build/libpipc.so.$(SOVERSION)
VERSION = $(shell sed -n 's/^\#define PIPC_VERSION "\(.*\)"/\1/p' lib/pipc.h)

all: pipc man libs

# The command uses the whole of lib/, which the libraries keep to
# themselves: it links an archive of every object, and lib/'s internals
# stay no one's ABI.
pipc: $(CMD_OBJ) build/libpipc-internal.a
	$(CC) $(LDFLAGS) -o $@ $(CMD_OBJ) build/libpipc-internal.a $(LIBS)

build/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

libs: build/libpipc.a $(SHLIB)

build/libpipc-internal.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $(LIB_OBJ)

# The installed archive: lib/ as one object whose only global symbols are
# the API's (lib/libpipc.map's), so that a program linking it statically
# meets none of lib/'s internal names.
build/libpipc.a: $(LIB_OBJ) lib/libpipc.map
	sed -n 's/^[[:space:]]*\(pipc_[a-z_]*\);$$/\1/p' lib/libpipc.map \
		> build/libpipc.syms
	$(LD) -r -o build/libpipc.o $(LIB_OBJ)
	objcopy --keep-global-symbols=build/libpipc.syms build/libpipc.o
	rm -f $@ && ar rcs $@ build/libpipc.o

build/pic/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -MMD -MP -c -o $@ $<

# Only what lib/libpipc.map lists is exported; -z defs: nothing left
# unresolved for the program that links it to find.
$(SHLIB): $(PIC_OBJ) lib/libpipc.map
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(SONAME) \
		-Wl,--version-script=lib/libpipc.map -Wl,-z,defs \
		-o $@ $(PIC_OBJ) $(LIBS)
	ln -sf $(notdir $@) build/$(SONAME)
	ln -sf $(SONAME) build/libpipc.so

# The ABI as built against the one recorded: any difference fails, a
# symbol added too (abidiff calls a changed return type merely a "change",
# not an incompatible one). A deliberate change is recorded by abi-dump.
ABIDW_FLAGS = --no-corpus-path --no-show-locs --no-comp-dir-path \
	--header-file lib/libpipc.h --drop-private-types \
	--exported-interfaces-only
abi-check: $(SHLIB)
	@abidiff --hf2 lib/libpipc.h --drop-private-types lib/libpipc.abi \
		$(SHLIB) || { echo "abi-check: $(SHLIB) differs from" \
		"lib/libpipc.abi (abidiff exit $$?)"; exit 1; }

abi-dump: $(SHLIB)
	abidw $(ABIDW_FLAGS) --out-file lib/libpipc.abi $(SHLIB)

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

# The sanitizer build of lib/, for the library's tests (tests/libpipc.bats).
build/san/libpipc.a: $(patsubst %.c,build/san/%.o,$(LIB_SRC))
	rm -f $@ && ar rcs $@ $^

check-sanitize: build/san/pipc build/san/libpipc.a
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
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	install -d $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(INCLUDEDIR)/pipc $(DESTDIR)$(PKGCONFIGDIR)
	$(if $(MAN3),install -m 644 $(MAN3) $(DESTDIR)$(MANDIR)/man3/)
	for l in $(MAN3_LINKS); do \
		ln -sf $${l#*:} $(DESTDIR)$(MANDIR)/man3/$${l%%:*}; done
	install -m 644 lib/libpipc.h $(DESTDIR)$(INCLUDEDIR)/pipc/pipc.h
	install -m 644 build/libpipc.a $(DESTDIR)$(LIBDIR)/libpipc.a
	install -m 755 $(SHLIB) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(SHLIB)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libpipc.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		-e 's|@LIBS_PRIVATE@|$(LIBS)|' libpipc.pc.in \
		> $(DESTDIR)$(PKGCONFIGDIR)/libpipc.pc.tmp && \
		mv $(DESTDIR)$(PKGCONFIGDIR)/libpipc.pc.tmp \
		$(DESTDIR)$(PKGCONFIGDIR)/libpipc.pc
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
	for m in $(notdir $(MAN1)); do rm -f $(DESTDIR)$(MANDIR)/man1/$$m; done
	for m in $(notdir $(MAN3)); do rm -f $(DESTDIR)$(MANDIR)/man3/$$m; done
	for l in $(MAN3_LINKS); do rm -f $(DESTDIR)$(MANDIR)/man3/$${l%%:*}; done
	rm -f $(DESTDIR)$(INCLUDEDIR)/pipc/pipc.h $(DESTDIR)$(LIBDIR)/libpipc.a \
		$(DESTDIR)$(LIBDIR)/$(notdir $(SHLIB)) \
		$(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libpipc.so \
		$(DESTDIR)$(PKGCONFIGDIR)/libpipc.pc
	rmdir $(DESTDIR)$(INCLUDEDIR)/pipc 2>/dev/null || :
	for u in $(UNITS); do rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/$$u; done

clean:
	rm -rf build pipc
	@$(MAKE) --no-print-directory -C tests clean

.PHONY: all man libs deps run check bench install uninstall clean check-sanitize \
	fuzz fuzz-regress abi-check abi-dump
-include $(OBJ:.o=.d) $(PIC_OBJ:.o=.d) $(SAN_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)
