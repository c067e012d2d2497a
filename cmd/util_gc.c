/* gc: its output, lines or JSON, and the summary. */
#include <err.h>
#include <stdio.h>
#include <string.h>

#include "util_gc.h"
#include "util_places.h"

static const char *const kept_label[A_NACTS] = {
	[A_HELD] = "kept: held", [A_YOUNG] = "kept: young",
	[A_UNKNOWN] = "kept: unknown", [A_USER] = "kept: other user",
	[A_FOREIGN] = "skipped: foreign",
};

static const char *const kept_what[K_N] = {
	"held", "young", "unknown", "other user", "in quarantine",
	"replaced", "gone", "by creator"
}, *const kept_json[K_N] = {
	"held", "young", "unknown", "other_user", "in_quarantine",
	"replaced", "gone", "creator"
};

/* Why its creator's rule keeps it: pipc-gc(1), CREATORS. */
static const char *
creator_kept(const struct row *r, char *buf, size_t size)
{
	const struct pipc_creator *c = r->creator;

	if (r->runs == 0)
		snprintf(buf, size, "kept: %s's, never collected", c->program);
	else if (r->runs > 0)
		snprintf(buf, size, "kept: %s's, %s runs (PID %d)", c->program,
		    c->comms[0], (int)r->pid);
	else
		snprintf(buf, size, "kept: %s's, %s may run unseen", c->program,
		    c->comms[0]);
	return buf;
}

const char *
gc_action(const struct row *r, const struct opts *op, char *buf, size_t size)
{
	static const char *const done[] = {
		[PIPC_GC_REMOVED] = "removed",
		[PIPC_GC_HELD] = "kept: held",
		[PIPC_GC_UNKNOWN] = "kept: unknown",
		[PIPC_GC_RESTORED] = "restored",
		[PIPC_GC_STUCK] = "kept: held, left in quarantine",
		[PIPC_GC_CHANGED] = "kept: replaced meanwhile",
		[PIPC_GC_GONE] = "gone: removed meanwhile",
	};

	if (r->act == A_COLLECT && (op->dry || op->check))
		return "would remove";
	if (r->act == A_RESTORE && (op->dry || op->check))
		return "would restore";
	if (r->act == A_CREATOR)
		return creator_kept(r, buf, size);
	if (r->gc == NULL)
		return kept_label[r->act];
	if (r->gc->result == PIPC_GC_FAILED) {
		snprintf(buf, size, "failed: %s", strerror(r->gc->err));
		return buf;
	}
	return done[r->gc->result];
}

/* Shown without -v: what gc did or would do, and anything odd. */
int
gc_shown(const struct row *r, const struct opts *op)
{
	return op->verbose || r->act == A_COLLECT || r->act == A_RESTORE ||
	    r->act == A_FOREIGN;
}

/* The JSON document, when -J asked for one: rows, then the summary. */
static struct json json;

void
gc_print_begin(const struct opts *op)
{
	if (!op->json)
		return;
	json_begin(&json, JSON_COMPACT);
	json_object(&json, NULL);
	json_array(&json, "objects", 1);
}

void
gc_print_row(const struct pipc_list *l, const struct row *r,
    const struct opts *op, const char *act, int width)
{
	const struct pipc_obj *o = &l->v[r->obj];
	const struct place *p = places.active ? &places.v[o->where] : NULL;
	char name[4096], size[DECIMAL_MAX];

	if (op->json) {
		json_object(&json, NULL);
		if (p != NULL) {
			json_str(&json, "container", p->label);
			json_str(&json, "store", p->id);
		}
		json_str(&json, "type", pipc_type_name(o->type));
		json_str_pre(&json, "name", "/", o->name);
		if (o->quarantine)
			json_str_pre(&json, "quarantine", "/",
			    pipc_gc_origin(o));
		json_int(&json, "size", o->st.st_size);
		json_uint(&json, "uid", o->st.st_uid);
		json_uint(&json, "inode", o->st.st_ino);
		json_str(&json, "reason", r->reason);
		if (r->creator != NULL)
			json_str(&json, "creator", r->creator->program);
		else
			json_null(&json, "creator");
		json_str(&json, "action", act);
		json_end(&json);
		return;
	}
	pipc_gc_label(name, sizeof(name), o, 0);
	if (p != NULL)
		printf("%-*s ", places_label_width(), p->label);
	printf("%-3s %-*s %5s %-10s %s\n", pipc_type_name(o->type), width,
	    name, size_shown(size, o->st.st_size, op->bytes), r->reason, act);
}

void
gc_count(struct tally *t, const struct row *r, const struct pipc_obj *o,
    const struct opts *op)
{
	static const int of_result[] = {
		[PIPC_GC_HELD] = K_HELD, [PIPC_GC_UNKNOWN] = K_UNKNOWN,
		[PIPC_GC_STUCK] = K_STUCK, [PIPC_GC_CHANGED] = K_CHANGED,
		[PIPC_GC_GONE] = K_GONE,
	};
	static const int of_act[] = {
		[A_HELD] = K_HELD, [A_YOUNG] = K_YOUNG,
		[A_UNKNOWN] = K_UNKNOWN, [A_USER] = K_USER,
		[A_CREATOR] = K_CREATOR,
	};

	if (r->act == A_FOREIGN)
		t->foreign++;
	else if ((r->act == A_COLLECT && (op->dry || op->check)) ||
	    (r->gc != NULL && r->gc->result == PIPC_GC_REMOVED)) {
		t->removed++;
		t->bytes += o->st.st_size;
	} else if (r->act == A_RESTORE && (op->dry || op->check))
		t->restored++;
	else if (r->gc == NULL)
		t->kept[of_act[r->act]]++;
	else if (r->gc->result == PIPC_GC_RESTORED)
		t->restored++;
	else if (r->gc->result == PIPC_GC_FAILED)
		t->failed++;
	else
		t->kept[of_result[r->gc->result]]++;
}

void
gc_summary(const struct tally *t, const struct opts *op)
{
	const char *sep = " (";
	char size[DECIMAL_MAX];
	size_t k, kept = 0;

	for (k = 0; k < K_N; k++)
		kept += t->kept[k];
	if (op->json) {
		json_end(&json);
		json_object(&json, "summary");
		json_uint(&json, op->dry || op->check ? "would_remove" :
		    "removed", t->removed);
		json_int(&json, "bytes", t->bytes);
		json_uint(&json, op->dry || op->check ? "would_restore" :
		    "restored", t->restored);
		json_uint(&json, "kept", kept);
		for (k = 0; k < K_N; k++)
			json_uint(&json, kept_json[k], t->kept[k]);
		json_uint(&json, "foreign", t->foreign);
		json_uint(&json, "failed", t->failed);
		json_end(&json);
		json_end(&json);
		return;
	}
	printf("gc: %s %zu object%s (%s), kept %zu", op->dry || op->check ?
	    "would remove" : "removed", t->removed, t->removed == 1 ? "" : "s",
	    size_shown(size, t->bytes, op->bytes), kept);
	for (k = 0; k < K_N; k++)
		if (t->kept[k] > 0) {
			printf("%s%zu %s", sep, t->kept[k], kept_what[k]);
			sep = ", ";
		}
	printf("%s", *sep == ',' ? ")" : "");
	if (t->restored)
		printf(", %s %zu", op->dry || op->check ? "would restore" :
		    "restored", t->restored);
	if (t->foreign)
		printf(", skipped %zu foreign", t->foreign);
	if (t->failed)
		printf(", %zu failed", t->failed);
	putchar('\n');
}

/* Why some holders could not be seen, once, where it kept something. */
void
gc_warn_unknown(const struct pipc_list *l, const struct tally *t)
{
	if (t->kept[K_UNKNOWN] > 0)
		warn_unseen(l, "were kept (--force takes them)");
}
