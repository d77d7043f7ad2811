/* story_history.c: undo/redo stacks of story edits (see story_edit.h).
 *
 * A step is a list of edits applied in order; a continuous gesture (a drag)
 * joins its edits into one step, and an edit that only refines the last
 * state of a field already in the step (the same key set again, the same
 * pivot moved again) is folded into that earlier edit, so the drag costs
 * one saved edit per key however long it lasts. */
#include <stdlib.h>
#include <string.h>

#include "daryn/story_edit.h"
#include "story_edit_internal.h"

#define HISTORY_DEFAULT_STEPS 100
#define HISTORY_DEFAULT_BYTES ((size_t)64 << 20)
/* How far back in a step an edit looks for one to fold into: far enough
 * for a drag keying x and y of a few actors at once, bounded so a huge step
 * costs nothing per edit. */
#define HISTORY_FOLD_WINDOW 16

void story_history_init(struct story_history *h, size_t max_steps, size_t max_bytes)
{
    memset(h, 0, sizeof(*h));
    h->max_steps = max_steps ? max_steps : HISTORY_DEFAULT_STEPS;
    h->max_bytes = max_bytes ? max_bytes : HISTORY_DEFAULT_BYTES;
}

static void step_fini(struct story_history_step *st)
{
    for (size_t i = 0; i < st->n; i++)
        story_edit_fini(&st->edits[i]);
    free(st->edits);
    memset(st, 0, sizeof(*st));
}

/* Recounts a step's bytes (they depend on whether its edits are applied:
 * a removed actor is held by the edit, an added one by the story). */
static void step_recount(struct story_history *h, struct story_history_step *st)
{
    h->bytes -= st->bytes;
    st->bytes = sizeof(*st);
    for (size_t i = 0; i < st->n; i++)
        st->bytes += story_edit_bytes(&st->edits[i]);
    h->bytes += st->bytes;
}

static void redo_clear(struct story_history *h)
{
    for (size_t i = 0; i < h->nredo; i++) {
        h->bytes -= h->redo[i].bytes;
        step_fini(&h->redo[i]);
    }
    h->nredo = 0;
}

void story_history_fini(struct story_history *h)
{
    if (!h)
        return;
    redo_clear(h);
    for (size_t i = 0; i < h->nundo; i++)
        step_fini(&h->undo[i]);
    free(h->undo);
    free(h->redo);
    memset(h, 0, sizeof(*h));
}

/* Drops the oldest steps beyond the caps; the newest step always stays. */
static void history_trim(struct story_history *h)
{
    size_t drop = 0, bytes = h->bytes;
    while (h->nundo - drop > 1 && (h->nundo - drop > h->max_steps || bytes > h->max_bytes))
        bytes -= h->undo[drop++].bytes;
    for (size_t i = 0; i < drop; i++)
        step_fini(&h->undo[i]);
    memmove(h->undo, h->undo + drop, (h->nundo - drop) * sizeof(*h->undo));
    h->nundo -= drop;
    h->bytes = bytes;
}

static bool same_address(const struct story_edit *a, const struct story_edit *b)
{
    return a->kind == b->kind && strcmp(a->scene_id, b->scene_id) == 0 &&
           strcmp(a->actor_id, b->actor_id) == 0 && strcmp(a->part_id, b->part_id) == 0 &&
           a->track_kind == b->track_kind && a->channel == b->channel && a->frame == b->frame;
}

/* Folds the applied edit `next` into an earlier edit of step `st` when the
 * pair is equivalent to one edit: for a swap the earlier edit already holds
 * the oldest value, for a key set it keeps the old key and takes the new
 * one. Only edits of the same kind with other addresses may sit between
 * them (those commute with it). Returns true when folded (next is freed). */
static bool step_fold(struct story_history_step *st, struct story_edit *next)
{
    size_t window = HISTORY_FOLD_WINDOW;
    for (size_t k = st->n; k-- > 0 && window-- > 0;) {
        struct story_edit *prev = &st->edits[k];
        if (prev->kind != next->kind)
            return false;
        bool same = same_address(prev, next);
        switch (next->kind) {
        case STORY_EDIT_KEY_SET:
            same = same && prev->u.key_set.key.time_s == next->u.key_set.key.time_s;
            if (same)
                prev->u.key_set.key = next->u.key_set.key;
            break;
        case STORY_EDIT_KEY_MOVE:
            /* Moves of different keys of one track don't commute (one can
             * take the other's old time): fold only into the last edit. */
            if (k != st->n - 1 || !same || prev->u.key_move.to_s != next->u.key_move.from_s)
                return false;
            prev->u.key_move.to_s = next->u.key_move.to_s;
            break;
        case STORY_EDIT_TEXT_SET:
            same = same && prev->u.text.lang == next->u.text.lang;
            break;
        case STORY_EDIT_CAPTION_EDIT:
            same = same && prev->u.caption.index == next->u.caption.index;
            break;
        case STORY_EDIT_AUDIO_MOVE:
            same = same && prev->u.swap.index == next->u.swap.index;
            break;
        case STORY_EDIT_SCENE_DURATION:
        case STORY_EDIT_PART_PIVOT:
            break;
        default:
            return false;
        }
        if (same) {
            /* next holds only the intermediate state now. */
            story_edit_fini(next);
            return true;
        }
    }
    return false;
}

static int history_push(struct story_history *h, struct story *s, struct story_edit *e,
                        uint64_t merge_key, struct dy_err *err)
{
    if (!h || !s || !e)
        return dy_err_set(err, DY_EINVAL, "history", "history, story or edit is missing");
    struct story_history_step *top = h->nundo ? &h->undo[h->nundo - 1] : NULL;
    bool merge = merge_key != 0 && top && top->merge_key == merge_key;
    /* Reserve first: once the edit is applied nothing may fail. */
    struct story_history_step fresh = {.merge_key = merge_key};
    if (merge) {
        if (SEDIT_RESERVE(top->edits, top->cap, top->n + 1) < 0)
            return sedit_oom("history", err);
    } else if (SEDIT_RESERVE(h->undo, h->undo_cap, h->nundo + 1) < 0 ||
               SEDIT_RESERVE(fresh.edits, fresh.cap, 1) < 0) {
        return sedit_oom("history", err);
    }
    int rc = story_edit_apply(s, e, err);
    if (rc < 0) {
        free(fresh.edits);
        return rc;
    }
    redo_clear(h);
    if (!merge) {
        h->undo[h->nundo++] = fresh;
        top = &h->undo[h->nundo - 1];
    }
    if (!merge || !step_fold(top, e))
        top->edits[top->n++] = *e;
    memset(e, 0, sizeof(*e)); /* moved into the history */
    step_recount(h, top);
    history_trim(h);
    return 0;
}

int story_history_do(struct story_history *h, struct story *s, struct story_edit *e,
                     struct dy_err *err)
{
    return history_push(h, s, e, 0, err);
}

int story_history_do_merge(struct story_history *h, struct story *s, struct story_edit *e,
                           uint64_t merge_key, struct dy_err *err)
{
    return history_push(h, s, e, merge_key, err);
}

void story_history_seal(struct story_history *h)
{
    if (h && h->nundo)
        h->undo[h->nundo - 1].merge_key = 0;
}

/* Runs a step backwards (undo) or forwards (redo). On a failure the edits
 * already run are run the other way, so the story is as before. */
static int step_run(struct story *s, struct story_history_step *st, bool undo,
                    struct dy_err *err)
{
    for (size_t i = 0; i < st->n; i++) {
        size_t k = undo ? st->n - 1 - i : i;
        int rc = undo ? story_edit_revert(s, &st->edits[k], err)
                      : story_edit_apply(s, &st->edits[k], err);
        if (rc < 0) {
            for (size_t j = i; j-- > 0;) {
                size_t b = undo ? st->n - 1 - j : j;
                if (undo)
                    story_edit_apply(s, &st->edits[b], NULL);
                else
                    story_edit_revert(s, &st->edits[b], NULL);
            }
            return rc;
        }
    }
    return 0;
}

/* Moves the top step of `from` to `to`, running it. */
static int history_move(struct story_history *h, struct story *s, bool undo, struct dy_err *err)
{
    struct story_history_step **from = undo ? &h->undo : &h->redo;
    struct story_history_step **to = undo ? &h->redo : &h->undo;
    size_t *nfrom = undo ? &h->nundo : &h->nredo;
    size_t *nto = undo ? &h->nredo : &h->nundo;
    size_t *capto = undo ? &h->redo_cap : &h->undo_cap;
    if (*nfrom == 0)
        return dy_err_set(err, DY_EINVAL, "history", "nothing to %s", undo ? "undo" : "redo");
    if (sedit_reserve((void **)to, capto, sizeof(**to), *nto + 1) < 0)
        return sedit_oom("history", err);
    struct story_history_step *st = &(*from)[*nfrom - 1];
    int rc = step_run(s, st, undo, err);
    if (rc < 0)
        return rc;
    st->merge_key = 0; /* an undone and redone step is closed */
    step_recount(h, st);
    (*to)[(*nto)++] = *st;
    (*nfrom)--;
    /* The step now on top of the undo stack is closed too: a gesture never
     * continues across an undo or redo. */
    story_history_seal(h);
    return 0;
}

int story_history_undo(struct story_history *h, struct story *s, struct dy_err *err)
{
    return history_move(h, s, true, err);
}

int story_history_redo(struct story_history *h, struct story *s, struct dy_err *err)
{
    return history_move(h, s, false, err);
}

bool story_history_can_undo(const struct story_history *h)
{
    return h && h->nundo > 0;
}

bool story_history_can_redo(const struct story_history *h)
{
    return h && h->nredo > 0;
}
