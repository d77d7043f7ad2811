/* mesh_import.c: file -> struct mesh_tris (mm, Z up). The only file of
 * Daryn that includes Assimp.
 *
 * Assimp runs in a forked child: Debian's Assimp 5.2 crashes (double free,
 * SIGSEGV) on real 3MF files, and an importer crash must not take `daryn`
 * (or the studio) down. The child imports, merges every mesh with its node
 * transforms into float triangles and writes them to a pipe; the parent
 * reads them under a deadline and turns a signal, an abnormal exit or a
 * timeout into an error. */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <assimp/cimport.h>
#include <assimp/metadata.h>
#include <assimp/postprocess.h>
#include <assimp/scene.h>

#include "daryn/mesh.h"
#include "mesh_internal.h"

/* Sanitizers reserve terabytes of address space: no RLIMIT_AS under them. */
#if defined(__SANITIZE_ADDRESS__)
#define MESH_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MESH_ASAN 1
#endif
#endif

enum fmt { F_STL, F_OBJ, F_PLY, F_OFF, F_3MF, F_GLTF, F_FBX, F_DAE, F_3DS };

static const struct {
    const char *ext;
    enum fmt fmt;
    const char *name;
    double mm_per_unit;   /* default unit when opts.units is AUTO */
    enum mesh_up up;      /* default up axis when opts.up is AUTO */
} formats[] = {
    {"stl", F_STL, "STL", 1, MESH_UP_Z},
    {"obj", F_OBJ, "OBJ", 1, MESH_UP_Y},
    {"ply", F_PLY, "PLY", 1, MESH_UP_Z},
    {"off", F_OFF, "OFF", 1, MESH_UP_Z},
    {"3mf", F_3MF, "3MF", 1, MESH_UP_Z},
    {"gltf", F_GLTF, "glTF", 1000, MESH_UP_Y},
    {"glb", F_GLTF, "glTF", 1000, MESH_UP_Y},
    {"fbx", F_FBX, "FBX", 10, MESH_UP_Y},
    {"dae", F_DAE, "DAE", 1000, MESH_UP_Y},
    {"3ds", F_3DS, "3DS", 1, MESH_UP_Y},
};

#define PIPE_MAGIC 0x4d455348u /* "MESH" */

/* What the child sends first; then nverts float[3], then ntris
 * uint32_t[3]. Same binary, same machine: no byte-order concerns. */
struct pipe_hdr {
    uint32_t magic;
    int32_t status;           /* 0 ok, else a DY_E* code and msg */
    uint64_t nverts, ntris;
    int32_t up_axis;          /* -1 unknown, 0 X, 1 Y, 2 Z */
    double unit_scale;        /* FBX UnitScaleFactor, 0 when absent */
    char msg[256];
};

const char *mesh_path_base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

int mesh_unit_parse(const char *s, enum mesh_unit *out, struct dy_err *err)
{
    static const struct {
        const char *name;
        enum mesh_unit u;
    } t[] = {{"auto", MESH_UNIT_AUTO}, {"mm", MESH_UNIT_MM},
             {"cm", MESH_UNIT_CM},     {"m", MESH_UNIT_M},
             {"inch", MESH_UNIT_INCH}, {"in", MESH_UNIT_INCH}};
    for (size_t i = 0; s && i < sizeof(t) / sizeof(t[0]); i++) {
        if (strcmp(s, t[i].name) == 0) {
            *out = t[i].u;
            return 0;
        }
    }
    return dy_err_set(err, DY_EINVAL, "units",
                      "unknown unit \"%s\" (expected mm, cm, m or inch)",
                      s ? s : "");
}

double mesh_unit_mm(enum mesh_unit u)
{
    switch (u) {
    case MESH_UNIT_CM: return 10;
    case MESH_UNIT_M: return 1000;
    case MESH_UNIT_INCH: return 25.4;
    default: return 1;
    }
}

/* ---- child side ------------------------------------------------------ */

static int walk_node(const struct aiScene *sc, const struct aiNode *nd,
                     const struct aiMatrix4x4 *parent, int depth,
                     struct mesh_tris *out)
{
    if (depth > 256)
        return DY_ELIMIT;
    struct aiMatrix4x4 g = *parent;
    aiMultiplyMatrix4(&g, &nd->mTransformation);
    for (unsigned i = 0; i < nd->mNumMeshes; i++) {
        if (nd->mMeshes[i] >= sc->mNumMeshes)
            continue;
        const struct aiMesh *me = sc->mMeshes[nd->mMeshes[i]];
        if (!me->mVertices)
            continue;
        size_t base = out->nverts;
        if (mesh_tris_reserve(out, base + me->mNumVertices,
                              out->ntris + me->mNumFaces, NULL) < 0)
            return DY_ENOMEM;
        for (unsigned v = 0; v < me->mNumVertices; v++) {
            struct aiVector3D p = me->mVertices[v];
            aiTransformVecByMatrix4(&p, &g);
            out->verts[base + v][0] = p.x;
            out->verts[base + v][1] = p.y;
            out->verts[base + v][2] = p.z;
        }
        out->nverts = base + me->mNumVertices;
        /* Points and lines (after Triangulate, faces are 1-3 indices) are
         * not solid geometry: skip them. */
        for (unsigned f = 0; f < me->mNumFaces; f++) {
            const struct aiFace *fa = &me->mFaces[f];
            if (fa->mNumIndices != 3)
                continue;
            uint32_t *t = out->tris[out->ntris];
            for (int k = 0; k < 3; k++) {
                if (fa->mIndices[k] >= me->mNumVertices)
                    return DY_EFORMAT;
                t[k] = (uint32_t)(base + fa->mIndices[k]);
            }
            out->ntris++;
        }
    }
    for (unsigned c = 0; c < nd->mNumChildren; c++) {
        int rc = walk_node(sc, nd->mChildren[c], &g, depth + 1, out);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static void meta_read(const struct aiScene *sc, struct pipe_hdr *h)
{
    const struct aiMetadata *md = sc->mMetaData;
    h->up_axis = -1;
    h->unit_scale = 0;
    for (unsigned i = 0; md && i < md->mNumProperties; i++) {
        const char *key = md->mKeys[i].data;
        const struct aiMetadataEntry *e = &md->mValues[i];
        double v;
        if (!e->mData)
            continue;
        if (e->mType == AI_INT32)
            v = *(const int32_t *)e->mData;
        else if (e->mType == AI_FLOAT)
            v = *(const float *)e->mData;
        else if (e->mType == AI_DOUBLE)
            v = *(const double *)e->mData;
        else
            continue;
        if (strcmp(key, "UpAxis") == 0 && v >= 0 && v <= 2)
            h->up_axis = (int32_t)v;
        else if (strcmp(key, "UnitScaleFactor") == 0 && isfinite(v) && v > 0)
            h->unit_scale = v;
    }
}

static int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Runs the import and sends the result to fd. Returns the exit status. */
static int child_import(const char *path, int fd)
{
    struct pipe_hdr h = {.magic = PIPE_MAGIC};
    struct mesh_tris m = {0};
    /* No JoinIdenticalVertices: mesh_repair welds with a spatial hash
     * anyway, and skipping it makes Assimp's import faster. No normal
     * generation or fixing: orientation is mesh_repair's job. */
    const struct aiScene *sc = aiImportFile(
        path, aiProcess_Triangulate | aiProcess_SortByPType);
    if (!sc || !sc->mRootNode) {
        h.status = DY_EFORMAT;
        snprintf(h.msg, sizeof(h.msg), "%s", aiGetErrorString());
        if (!h.msg[0])
            snprintf(h.msg, sizeof(h.msg), "the importer found no scene");
    } else {
        struct aiMatrix4x4 id;
        aiIdentityMatrix4(&id);
        meta_read(sc, &h);
        int rc = walk_node(sc, sc->mRootNode, &id, 0, &m);
        if (rc < 0) {
            h.status = rc;
            snprintf(h.msg, sizeof(h.msg), "%s",
                     rc == DY_ENOMEM ? "out of memory" :
                     rc == DY_ELIMIT ? "node tree deeper than 256" :
                                       "face index out of range");
        }
        h.nverts = m.nverts;
        h.ntris = m.ntris;
    }
    int ok = write_all(fd, &h, sizeof(h)) == 0;
    if (ok && h.status == 0)
        ok = write_all(fd, m.verts, m.nverts * sizeof(*m.verts)) == 0 &&
             write_all(fd, m.tris, m.ntris * sizeof(*m.tris)) == 0;
    /* Skip aiReleaseImport and free: _exit reclaims everything, and a
     * buggy importer's destructor cannot corrupt our answer. */
    return ok ? 0 : 3;
}

/* ---- parent side ----------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Reads exactly n bytes before the deadline: 0, -1 EOF/error, -2 timeout. */
static int read_all(int fd, void *buf, size_t n, double deadline)
{
    char *p = buf;
    while (n > 0) {
        double left = deadline - now_s();
        if (left <= 0)
            return -2;
        struct pollfd pf = {.fd = fd, .events = POLLIN};
        int pr = poll(&pf, 1, (int)(left * 1000) + 1);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr < 0)
            return -1;
        if (pr == 0)
            continue;
        ssize_t r = read(fd, p, n > (1 << 20) ? (1 << 20) : n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Caps the child's memory: a looping importer (Assimp's PLY reader hangs
 * on some malformed headers, found by fuzzing) must not eat the machine
 * before the timeout. 1 GB plus 64 bytes per byte of input is well above
 * what Assimp needs (170 MB for a 50 MB STL). */
static void child_limit_memory(const char *path)
{
#ifndef MESH_ASAN
    struct stat st;
    if (stat(path, &st) != 0)
        return;
    rlim_t lim = ((rlim_t)1 << 30) + 64 * (rlim_t)st.st_size;
    struct rlimit rl = {lim, lim};
    setrlimit(RLIMIT_AS, &rl);
#else
    (void)path;
#endif
}

static int run_child(const char *path, const char *fmtname, double timeout,
                     struct mesh_tris *out, struct pipe_hdr *h,
                     struct dy_err *err)
{
    const char *name = mesh_path_base(path);
    int fds[2], rc = 0, st = 0;
    if (pipe(fds) != 0)
        return dy_err_set(err, DY_EIO, name, "pipe: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return dy_err_set(err, DY_EIO, name, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        /* Default fatal-signal actions, so a crash is reported to us as
         * a signal even if the parent installed crash handlers. */
        static const int fatal[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
        for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
            signal(fatal[i], SIG_DFL);
        close(fds[0]);
        signal(SIGPIPE, SIG_IGN);
        child_limit_memory(path);
        _exit(child_import(path, fds[1]));
    }
    close(fds[1]);
    double deadline = now_s() + timeout;
    int r = read_all(fds[0], h, sizeof(*h), deadline);
    if (r == 0 && (h->magic != PIPE_MAGIC))
        r = -1;
    if (r == 0 && h->status == 0) {
        if (h->nverts > UINT32_MAX || h->ntris > MESH_MAX_TRIS) {
            rc = dy_err_set(err, DY_ELIMIT, name, "%llu triangles, %llu "
                            "vertices: beyond the limit",
                            (unsigned long long)h->ntris,
                            (unsigned long long)h->nverts);
            goto done;
        }
        rc = mesh_tris_reserve(out, h->nverts, h->ntris, err);
        if (rc < 0) {
            dy_err_prefix(err, name);
            goto done;
        }
        r = read_all(fds[0], out->verts, h->nverts * sizeof(*out->verts),
                     deadline);
        if (r == 0)
            r = read_all(fds[0], out->tris, h->ntris * sizeof(*out->tris),
                         deadline);
        if (r == 0) {
            out->nverts = h->nverts;
            out->ntris = h->ntris;
        }
    }
    if (r == -2) {
        rc = dy_err_set(err, DY_EEXTERNAL, name, "%s importer timed out "
                        "after %.0f s", fmtname, timeout);
        goto done;
    }
done:
    close(fds[0]);
    if (rc < 0 || r == -2)
        kill(pid, SIGKILL);
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (rc < 0)
        return rc;
    if (WIFSIGNALED(st) && r != 0)
        return dy_err_set(err, DY_EEXTERNAL, name,
                          "%s importer crashed on %s (signal %d: %s)",
                          fmtname, name, WTERMSIG(st),
                          strsignal(WTERMSIG(st)));
    if (r != 0)
        return dy_err_set(err, DY_EEXTERNAL, name,
                          "%s importer crashed on %s (exit status %d)",
                          fmtname, name,
                          WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    if (h->status != 0) {
        h->msg[sizeof(h->msg) - 1] = '\0';
        return dy_err_set(err, h->status, name, "%s", h->msg);
    }
    return 0;
}

/* Same work in this process (opts.in_process): for debugging only. */
static int run_inline(const char *path, struct mesh_tris *out,
                      struct pipe_hdr *h, struct dy_err *err)
{
    const struct aiScene *sc = aiImportFile(
        path, aiProcess_Triangulate | aiProcess_SortByPType);
    if (!sc || !sc->mRootNode) {
        int rc = dy_err_set(err, DY_EFORMAT, mesh_path_base(path), "%s",
                            aiGetErrorString());
        aiReleaseImport(sc);
        return rc;
    }
    struct aiMatrix4x4 id;
    aiIdentityMatrix4(&id);
    meta_read(sc, h);
    int rc = walk_node(sc, sc->mRootNode, &id, 0, out);
    aiReleaseImport(sc);
    if (rc < 0)
        return dy_err_set(err, rc, mesh_path_base(path),
                          "importing failed (%s)", dy_code_name(rc));
    return 0;
}

/* Scale to mm, then Y-up -> Z-up as a +90 degree turn about X: (x, y, z)
 * -> (x, -z, y). A proper rotation keeps the winding and the handedness. */
static void convert_coords(struct mesh_tris *m, double scale, bool y_up)
{
    for (size_t i = 0; i < m->nverts; i++) {
        float *v = m->verts[i];
        double x = v[0] * scale, y = v[1] * scale, z = v[2] * scale;
        v[0] = (float)x;
        v[1] = (float)(y_up ? -z : y);
        v[2] = (float)(y_up ? y : z);
    }
}

int mesh_import(const char *path, const struct mesh_import_opts *opts,
                struct mesh_tris *out, struct mesh_import_info *info,
                struct dy_err *err)
{
    static const struct mesh_import_opts defaults = {0};
    const char *name = mesh_path_base(path);
    struct mesh_import_info inf = {0};
    struct pipe_hdr h = {.up_axis = -1};
    int rc = 0;
    if (!opts)
        opts = &defaults;
    const char *dot = strrchr(name, '.');
    size_t fi;
    for (fi = 0; dot && fi < sizeof(formats) / sizeof(formats[0]); fi++)
        if (strcasecmp(dot + 1, formats[fi].ext) == 0)
            break;
    if (!dot || fi == sizeof(formats) / sizeof(formats[0]))
        return dy_err_set(err, DY_EUNSUPPORTED, name,
                          "unknown mesh file extension (expected .stl, "
                          ".obj, .ply, .off, .3mf, .gltf, .glb, .fbx, .dae "
                          "or .3ds)");
    snprintf(inf.format, sizeof(inf.format), "%s", formats[fi].name);
    if (access(path, R_OK) != 0)
        return dy_err_set(err, DY_EIO, name, "cannot read: %s",
                          strerror(errno));

    double scale = formats[fi].mm_per_unit;
    if (formats[fi].fmt == F_3MF && !opts->force_assimp) {
        rc = mesh_3mf_read(path, NULL, out, &scale, err);
        if (rc < 0)
            goto fail;
        inf.native = true;
    } else if (formats[fi].fmt == F_3MF) {
        rc = mesh_3mf_read_unit(path, &scale, err);
        if (rc < 0)
            goto fail;
    }
    if (formats[fi].fmt == F_STL && !opts->force_assimp) {
        rc = mesh_stl_read_binary(path, out, err);
        if (rc < 0)
            goto fail;
        inf.native = rc == 0;
    }
    if (formats[fi].fmt == F_OFF && !opts->force_assimp) {
        rc = mesh_off_read(path, out, err);
        if (rc < 0)
            goto fail;
        inf.native = true;
    }
    if (!inf.native) {
        double timeout = opts->timeout_s > 0 ? opts->timeout_s : 120;
        rc = opts->in_process ? run_inline(path, out, &h, err)
                              : run_child(path, formats[fi].name, timeout,
                                          out, &h, err);
        if (rc < 0)
            goto fail;
    }
    if (formats[fi].fmt == F_FBX && h.unit_scale > 0)
        scale = 10.0 * h.unit_scale; /* UnitScaleFactor is cm per unit */
    if (opts->units != MESH_UNIT_AUTO)
        scale = mesh_unit_mm(opts->units);
    enum mesh_up up = formats[fi].up;
    if (formats[fi].fmt == F_FBX && h.up_axis >= 0)
        up = h.up_axis == 2 ? MESH_UP_Z : MESH_UP_Y;
    if (opts->up != MESH_UP_AUTO)
        up = opts->up;
    convert_coords(out, scale, up == MESH_UP_Y);
    inf.mm_per_unit = scale;
    inf.rotated_y_up = up == MESH_UP_Y;
    rc = mesh_tris_validate(out, name, err);
    if (rc < 0)
        goto fail;
    if (info)
        *info = inf;
    return 0;
fail:
    mesh_tris_fini(out);
    return rc;
}
