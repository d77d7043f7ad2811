/* mesh_place.c: rotation, auto-orient, scale/height, bed fit, drop to z = 0
 * and centring. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daryn/mesh.h"
#include "mesh_internal.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* Normal clustering grid: each unit-normal component rounded to 1/Q
 * (about 3 degrees); the key space is small enough for a flat array. */
#define Q 20
#define QN (2 * Q + 1)
#define CANDIDATES 24
/* A face touches the bed when it lies within 0.1 mm of it and its normal is
 * within ~2 degrees of straight down. */
#define CONTACT_MM 0.1
#define CONTACT_COS 0.9994

static void mat_apply(struct mesh_tris *m, const double r[3][3])
{
    for (size_t i = 0; i < m->nverts; i++) {
        double v[3] = {m->verts[i][0], m->verts[i][1], m->verts[i][2]};
        for (int k = 0; k < 3; k++)
            m->verts[i][k] = (float)(r[k][0] * v[0] + r[k][1] * v[1] +
                                     r[k][2] * v[2]);
    }
}

static void mat_mul(const double a[3][3], const double b[3][3],
                    double out[3][3])
{
    double t[3][3];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            t[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] +
                      a[i][2] * b[2][j];
    memcpy(out, t, sizeof(t));
}

/* Rotation about X, then Y, then Z (R = Rz * Ry * Rx). */
static void mat_euler(const double deg[3], double r[3][3])
{
    double a = deg[0] * M_PI / 180, b = deg[1] * M_PI / 180,
           c = deg[2] * M_PI / 180;
    double rx[3][3] = {{1, 0, 0}, {0, cos(a), -sin(a)}, {0, sin(a), cos(a)}};
    double ry[3][3] = {{cos(b), 0, sin(b)}, {0, 1, 0}, {-sin(b), 0, cos(b)}};
    double rz[3][3] = {{cos(c), -sin(c), 0}, {sin(c), cos(c), 0}, {0, 0, 1}};
    mat_mul(ry, rx, r);
    mat_mul(rz, r, r);
}

/* Rotation taking unit vector d onto (0, 0, -1) (Rodrigues). */
static void mat_to_down(const double d[3], double r[3][3])
{
    double c = -d[2];                       /* cos = d . (0,0,-1) */
    double ax[3] = {-d[1], d[0], 0};        /* d x (0,0,-1) */
    double s = sqrt(ax[0] * ax[0] + ax[1] * ax[1]);
    if (s < 1e-12) {
        double id[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        double flip[3][3] = {{1, 0, 0}, {0, -1, 0}, {0, 0, -1}};
        memcpy(r, c > 0 ? id : flip, sizeof(id));
        return;
    }
    for (int k = 0; k < 3; k++)
        ax[k] /= s;
    double t = 1 - c;
    double x = ax[0], y = ax[1], z = ax[2];
    double m[3][3] = {
        {t * x * x + c, t * x * y - s * z, t * x * z + s * y},
        {t * x * y + s * z, t * y * y + c, t * y * z - s * x},
        {t * x * z - s * y, t * y * z + s * x, t * z * z + c},
    };
    memcpy(r, m, sizeof(m));
}

static void tri_normal(const struct mesh_tris *m, size_t i, double n[3],
                       double *area)
{
    double p[3][3];
    for (int j = 0; j < 3; j++)
        for (int k = 0; k < 3; k++)
            p[j][k] = m->verts[m->tris[i][j]][k];
    mesh_cross3(p[0], p[1], p[2], n);
    double len = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    *area = 0.5 * len;
    for (int k = 0; k < 3; k++)
        n[k] = len > 0 ? n[k] / len : 0;
}

/* Area within CONTACT_MM of the bed when d points down; *com_h gets the
 * centroid's height above the bed. */
static double contact_area(const struct mesh_tris *m, const double d[3],
                           const double centroid[3], double *com_h)
{
    double smax = -INFINITY;
    for (size_t i = 0; i < m->nverts; i++) {
        const float *v = m->verts[i];
        double s = v[0] * d[0] + v[1] * d[1] + v[2] * d[2];
        if (s > smax)
            smax = s;
    }
    double area = 0;
    for (size_t i = 0; i < m->ntris; i++) {
        /* The height test first: it is cheap and rejects almost every
         * triangle, so few need a normal (a square root and divisions). */
        bool on = true;
        for (int j = 0; j < 3 && on; j++) {
            const float *v = m->verts[m->tris[i][j]];
            on = v[0] * d[0] + v[1] * d[1] + v[2] * d[2] >= smax - CONTACT_MM;
        }
        if (!on)
            continue;
        double n[3], a;
        tri_normal(m, i, n, &a);
        if (n[0] * d[0] + n[1] * d[1] + n[2] * d[2] >= CONTACT_COS)
            area += a;
    }
    *com_h = smax - (centroid[0] * d[0] + centroid[1] * d[1] +
                     centroid[2] * d[2]);
    return area;
}

/* Volume centroid (surface-area centroid for open/flat meshes). */
static void centroid_of(const struct mesh_tris *m, double c[3])
{
    double vol = 0, acc[3] = {0}, aacc[3] = {0}, atot = 0;
    for (size_t i = 0; i < m->ntris; i++) {
        double p[3][3], n[3];
        for (int j = 0; j < 3; j++)
            for (int k = 0; k < 3; k++)
                p[j][k] = m->verts[m->tris[i][j]][k];
        double d = p[0][0] * (p[1][1] * p[2][2] - p[1][2] * p[2][1]) -
                   p[0][1] * (p[1][0] * p[2][2] - p[1][2] * p[2][0]) +
                   p[0][2] * (p[1][0] * p[2][1] - p[1][1] * p[2][0]);
        mesh_cross3(p[0], p[1], p[2], n);
        double a = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        vol += d;
        atot += a;
        for (int k = 0; k < 3; k++) {
            acc[k] += d * (p[0][k] + p[1][k] + p[2][k]) / 4;
            aacc[k] += a * (p[0][k] + p[1][k] + p[2][k]) / 3;
        }
    }
    for (int k = 0; k < 3; k++)
        c[k] = fabs(vol) > 1e-9 * (atot + 1) ? acc[k] / vol :
               atot > 0 ? aacc[k] / atot : 0;
}

/* Candidate down directions: area-weighted face normals clustered on a
 * grid, the CANDIDATES largest clusters. Keeps the current orientation
 * unless another is clearly better (more than 10 % more contact), and
 * among similar contact areas prefers the lowest centre of mass. */
static int orient_auto(struct mesh_tris *m, bool *changed, double *contact)
{
    double *acc = calloc((size_t)QN * QN * QN, 4 * sizeof(double));
    if (!acc)
        return DY_ENOMEM;
    for (size_t i = 0; i < m->ntris; i++) {
        double n[3], a;
        tri_normal(m, i, n, &a);
        if (a <= 0)
            continue;
        size_t key = 0;
        for (int k = 0; k < 3; k++)
            key = key * QN + (size_t)(lround(n[k] * Q) + Q);
        double *c = acc + 4 * key;
        c[0] += a;
        for (int k = 0; k < 3; k++)
            c[1 + k] += a * n[k];
    }
    double cand[CANDIDATES + 1][3] = {{0, 0, -1}}, best_a[CANDIDATES];
    int nc = 1;
    for (int k = 0; k < CANDIDATES; k++)
        best_a[k] = 0;
    for (size_t key = 0; key < (size_t)QN * QN * QN; key++) {
        double a = acc[4 * key];
        if (a <= 0 || a <= best_a[CANDIDATES - 1])
            continue;
        int pos = CANDIDATES - 1;
        while (pos > 0 && best_a[pos - 1] < a) {
            best_a[pos] = best_a[pos - 1];
            memcpy(cand[1 + pos], cand[pos], sizeof(cand[0]));
            pos--;
        }
        best_a[pos] = a;
        double len = sqrt(acc[4 * key + 1] * acc[4 * key + 1] +
                          acc[4 * key + 2] * acc[4 * key + 2] +
                          acc[4 * key + 3] * acc[4 * key + 3]);
        for (int k = 0; k < 3; k++)
            cand[1 + pos][k] = len > 0 ? acc[4 * key + 1 + k] / len : 0;
    }
    for (int k = 0; k < CANDIDATES; k++)
        nc += best_a[k] > 0;
    free(acc);

    double centroid[3], area[CANDIDATES + 1], comh[CANDIDATES + 1], amax = 0;
    centroid_of(m, centroid);
    for (int i = 0; i < nc; i++) {
        area[i] = contact_area(m, cand[i], centroid, &comh[i]);
        if (area[i] > amax)
            amax = area[i];
    }
    int best = 0;
    if (area[0] < 0.9 * amax) {
        best = -1;
        for (int i = 1; i < nc; i++)
            if (area[i] >= 0.9 * amax && (best < 0 || comh[i] < comh[best]))
                best = i;
    }
    *changed = best != 0;
    *contact = area[best];
    if (best != 0) {
        double r[3][3];
        mat_to_down(cand[best], r);
        mat_apply(m, r);
    }
    return 0;
}

static void scale_by(struct mesh_tris *m, double s)
{
    for (size_t i = 0; i < m->nverts; i++)
        for (int k = 0; k < 3; k++)
            m->verts[i][k] = (float)(m->verts[i][k] * s);
}

/* Floors a fitting scale to 2 decimals (2 significant digits when < 0.1)
 * so the suggested number really fits. */
static double scale_suggest(double f)
{
    double p = f >= 0.1 ? 100 : pow(10, 1 - floor(log10(f)));
    return floor(f * p) / p;
}

int mesh_place(struct mesh_tris *m, const struct mesh_place_opts *opts,
               struct mesh_place_result *res_out, struct dy_err *err)
{
    static const struct mesh_place_opts defaults = {.scale = 1};
    struct mesh_place_result res = {.scale_applied = 1};
    double lo[3], hi[3], size[3];
    if (!opts)
        opts = &defaults;
    if (!mesh_tris_bounds(m, lo, hi))
        return dy_err_set(err, DY_EINVAL, "placement", "the mesh has no "
                          "triangles");
    if (!isfinite(opts->scale) || !isfinite(opts->height_mm) ||
        opts->scale > 1e4 || opts->height_mm > 1e5)
        return dy_err_set(err, DY_EINVAL, "placement", "scale %g / height "
                          "%g mm is out of range", opts->scale,
                          opts->height_mm);
    for (int k = 0; k < 3; k++)
        if (!isfinite(opts->rotate_deg[k]))
            return dy_err_set(err, DY_EINVAL, "placement",
                              "rotation is not finite");
    if (opts->rotate_deg[0] || opts->rotate_deg[1] || opts->rotate_deg[2]) {
        double r[3][3];
        mat_euler(opts->rotate_deg, r);
        mat_apply(m, r);
    }
    if (opts->auto_orient &&
        orient_auto(m, &res.reoriented, &res.contact_mm2) < 0)
        return dy_err_set(err, DY_ENOMEM, "placement", "out of memory");
    /* Each bounds pass reads every triangle (75 ms on 1M): only redo it
     * when the vertices moved. */
    if (opts->rotate_deg[0] || opts->rotate_deg[1] || opts->rotate_deg[2] || res.reoriented)
        mesh_tris_bounds(m, lo, hi);
    for (int k = 0; k < 3; k++)
        size[k] = hi[k] - lo[k];
    double s = opts->scale > 0 ? opts->scale : 1;
    if (opts->height_mm > 0) {
        if (size[2] <= 0)
            return dy_err_set(err, DY_EINVAL, "placement", "--height: the "
                              "model is flat (Z size 0)");
        s = opts->height_mm / size[2];
    }
    for (int k = 0; k < 3; k++)
        size[k] *= s;
    const double *bed = opts->bed_mm;
    bool has_bed = bed[0] > 0 && bed[1] > 0;
    if (has_bed) {
        double f = INFINITY;
        for (int k = 0; k < 3; k++)
            if (bed[k] > 0 && size[k] > 0 && bed[k] / size[k] < f)
                f = bed[k] / size[k];
        if (f < 1 - 1e-9) {
            if (!opts->fit) {
                char sug[32];
                double g = scale_suggest(s * f);
                snprintf(sug, sizeof(sug), g >= 0.1 ? "%.2f" : "%.2g", g);
                return dy_err_set(err, DY_ERANGE, "placement",
                                  "model is %.1f x %.1f x %.1f mm; the bed "
                                  "is %g x %g x %g mm: use --scale %s or "
                                  "--fit", size[0], size[1], size[2],
                                  bed[0], bed[1], bed[2], sug);
            }
            /* A hair below the exact ratio so float rounding cannot push
             * the model back over the edge. */
            s *= f * (1 - 1e-6);
            for (int k = 0; k < 3; k++)
                size[k] *= f * (1 - 1e-6);
        }
    }
    if (s != 1) {
        scale_by(m, s);
        mesh_tris_bounds(m, lo, hi);
    }
    res.scale_applied = s;
    double shift[3] = {0, 0, -lo[2]};
    if (!opts->no_center) {
        shift[0] = (has_bed ? bed[0] / 2 : 0) - 0.5 * (lo[0] + hi[0]);
        shift[1] = (has_bed ? bed[1] / 2 : 0) - 0.5 * (lo[1] + hi[1]);
    }
    for (size_t i = 0; i < m->nverts; i++)
        for (int k = 0; k < 3; k++)
            m->verts[i][k] = (float)(m->verts[i][k] + shift[k]);
    /* float rounding can leave the lowest vertex at -1e-6: clamp. */
    for (size_t i = 0; i < m->nverts; i++)
        if (m->verts[i][2] < 0)
            m->verts[i][2] = 0;
    /* The new bounds are the old ones moved the same way: adding in double,
     * rounding to float and clamping are all monotone, so the extreme
     * vertices stay extreme and land exactly where these land. */
    for (int k = 0; k < 3; k++) {
        lo[k] = (float)(lo[k] + shift[k]);
        hi[k] = (float)(hi[k] + shift[k]);
    }
    lo[2] = lo[2] < 0 ? 0 : lo[2];
    hi[2] = hi[2] < 0 ? 0 : hi[2];
    for (int k = 0; k < 3; k++)
        res.size[k] = hi[k] - lo[k];
    double down[3] = {0, 0, -1}, c0[3] = {0}, h;
    res.contact_mm2 = contact_area(m, down, c0, &h);
    if (res_out)
        *res_out = res;
    return 0;
}
