/* migrate.c: schema migrations, JSON -> JSON, one step per version.
 *
 * Working on the parsed JSON rather than the model keeps each step small and
 * lets the model describe only the current schema. Each step turns a valid
 * document of version N into a valid document of version N + 1; anything
 * it cannot make sense of is reported with the path in the old document. */
#include <stdio.h>
#include <string.h>

#include "daryn/storyio.h"
#include "storyio_internal.h"

static int mig_err(struct dy_err *err, int code, size_t si, size_t ai,
                   const char *tail, const char *msg)
{
    char where[DY_ERR_WHERE_MAX];
    snprintf(where, sizeof(where), "scenes[%zu].actors[%zu]%s", si, ai, tail);
    return dy_err_set(err, code, where, "%s", msg);
}

/* Version 0 stored an actor's animation as one list of keys each carrying
 * any of the properties: "keys": [{"time": t, "x": .., "y": .., "ease": ..}].
 * Version 1 has one track per property: "tracks": {"x": [{"time", "value",
 * "ease"}], ...}. A v0 key's ease applies to every property it carries. */
static int migrate_actor_v0(json_t *actor, size_t si, size_t ai,
                            struct dy_err *err)
{
    json_t *keys = json_object_get(actor, "keys");
    if (!keys) {
        return 0;
    }
    if (json_object_get(actor, "tracks")) {
        return mig_err(err, DY_EFORMAT, si, ai, ".tracks",
                       "version 0 actors use \"keys\", not \"tracks\"");
    }
    if (!json_is_array(keys)) {
        return mig_err(err, DY_EFORMAT, si, ai, ".keys", "must be an array");
    }
    if (json_array_size(keys) > STORY_MAX_KEYS) {
        return mig_err(err, DY_ELIMIT, si, ai, ".keys", "too many keys");
    }
    json_t *tracks = json_object();
    if (!tracks) {
        return dy_err_set(err, DY_ENOMEM, NULL, "out of memory");
    }
    for (size_t k = 0; k < json_array_size(keys); k++) {
        json_t *key = json_array_get(keys, k);
        char tail[64];
        snprintf(tail, sizeof(tail), ".keys[%zu]", k);
        if (!json_is_object(key)) {
            json_decref(tracks);
            return mig_err(err, DY_EFORMAT, si, ai, tail, "must be an object");
        }
        json_t *time = json_object_get(key, "time");
        if (!time) {
            json_decref(tracks);
            snprintf(tail, sizeof(tail), ".keys[%zu].time", k);
            return mig_err(err, DY_EFORMAT, si, ai, tail, "is required");
        }
        json_t *ease = json_object_get(key, "ease");
        const char *prop;
        json_t *val;
        json_object_foreach(key, prop, val) {
            if (strcmp(prop, "time") == 0 || strcmp(prop, "ease") == 0) {
                continue;
            }
            if (story_prop_from_name(prop) < 0) {
                json_decref(tracks);
                snprintf(tail, sizeof(tail), ".keys[%zu].%.40s", k, prop);
                return mig_err(err, DY_EFORMAT, si, ai, tail,
                               "unknown property");
            }
            /* Types and ranges are checked by the v1 parser afterwards. */
            json_t *tr = json_object_get(tracks, prop);
            json_t *nk = json_pack("{sOsO}", "time", time, "value", val);
            if (!tr) {
                tr = json_array();
                if (tr && json_object_set_new(tracks, prop, tr) != 0) {
                    tr = NULL;
                }
            }
            if (!nk || !tr || (ease && json_object_set(nk, "ease", ease)) ||
                json_array_append_new(tr, nk) != 0) {
                json_decref(tracks);
                return dy_err_set(err, DY_ENOMEM, NULL, "out of memory");
            }
        }
    }
    if (json_object_set_new(actor, "tracks", tracks) != 0 ||
        json_object_del(actor, "keys") != 0) {
        return dy_err_set(err, DY_ENOMEM, NULL, "out of memory");
    }
    return 0;
}

static int migrate_v0_to_v1(json_t *root, struct dy_err *err)
{
    json_t *scenes = json_object_get(root, "scenes");
    for (size_t si = 0; json_is_array(scenes) && si < json_array_size(scenes);
         si++) {
        json_t *actors = json_object_get(json_array_get(scenes, si), "actors");
        for (size_t ai = 0;
             json_is_array(actors) && ai < json_array_size(actors); ai++) {
            json_t *a = json_array_get(actors, ai);
            if (json_is_object(a)) {
                int rc = migrate_actor_v0(a, si, ai, err);
                if (rc < 0) {
                    return rc;
                }
            }
        }
    }
    if (json_object_set_new(root, "version", json_integer(1)) != 0) {
        return dy_err_set(err, DY_ENOMEM, NULL, "out of memory");
    }
    return 0;
}

int sio_migrate(json_t *root, int from, struct dy_err *err)
{
    /* Steps in order; step i turns version i into i + 1. */
    static int (*const steps[])(json_t *, struct dy_err *) = {
        migrate_v0_to_v1,
    };
    for (int v = from; v < STORY_SCHEMA_VERSION; v++) {
        if (v < 0 || (size_t)v >= sizeof(steps) / sizeof(steps[0])) {
            return dy_err_set(err, DY_EUNSUPPORTED, "version",
                              "no migration from version %d", v);
        }
        int rc = steps[v](root, err);
        if (rc < 0) {
            return rc;
        }
    }
    return 0;
}
