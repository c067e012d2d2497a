# pipc: POSIX IPC objects toolkit. `make run`, `make check`, `make install`.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
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

check: deps
	@$(MAKE) --no-print-directory WERROR=-Werror all
	@$(MAKE) --no-print-directory WERROR=-Werror -C tests helpers
	mandoc -T lint -W warning $(MAN)
	tests/run

bench: deps
	@./scripts/deps --bench
	@$(MAKE) --no-print-directory all
	bench/run

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/bash-completion/completions \
		$(DESTDIR)$(DATADIR)/zsh/vendor-completions \
		$(DESTDIR)$(DATADIR)/fish/vendor_completions.d
	install -m 755 pipc $(DESTDIR)$(BINDIR)/pipc
	cmds=$$(./pipc __complete commands) && for c in $$cmds; do \
		ln -sf pipc $(DESTDIR)$(BINDIR)/pipc-$$c; done
	install -m 644 $(MAN) $(DESTDIR)$(MANDIR)/man1/
	install -m 644 completions/pipc.bash \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/pipc
	install -m 644 completions/_pipc $(DESTDIR)$(DATADIR)/zsh/vendor-completions/_pipc
	install -m 644 completions/pipc.fish \
		$(DESTDIR)$(DATADIR)/fish/vendor_completions.d/pipc.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pipc $(DESTDIR)$(DATADIR)/bash-completion/completions/pipc \
		$(DESTDIR)$(DATADIR)/zsh/vendor-completions/_pipc \
		$(DESTDIR)$(DATADIR)/fish/vendor_completions.d/pipc.fish
	for f in $(DESTDIR)$(BINDIR)/pipc-*; do \
		if [ "$$(readlink "$$f")" = pipc ]; then rm -f "$$f"; fi; done
	for m in $(notdir $(MAN)); do rm -f $(DESTDIR)$(MANDIR)/man1/$$m; done

clean:
	rm -rf build pipc
	@$(MAKE) --no-print-directory -C tests clean

.PHONY: all man deps run check bench install uninstall clean
-include $(OBJ:.o=.d)
