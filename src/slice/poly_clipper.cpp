/* poly_clipper.cpp: poly.h's booleans and offsets on Clipper 6.4
 * (Debian's libpolyclipping, the library CuraEngine and PrusaSlicer grew
 * from). A thin shim: C structs in, Clipper paths inside, C structs out.
 * Memory handed back to C is malloc'd (poly_*_fini frees it); C++
 * exceptions never cross the extern "C" boundary: bad_alloc becomes
 * DY_ENOMEM, anything Clipper throws becomes DY_EEXTERNAL. See
 * docs/polygon-library.md for why Clipper and not GEOS. */
#include <climits>
#include <cmath>
#include <cstdlib>
#include <new>

#include <clipper.hpp>

#include "daryn/poly.h"

using namespace ClipperLib;

namespace {

/* Round joins are approximated within this many microns: a 0.4 mm nozzle
 * can't draw finer, and Clipper's default (0.25 units) would put a vertex
 * every few microns on every rounded corner. */
const double ARC_TOL_UM = 5.0;

void to_paths(const struct poly_set *s, Paths &out)
{
    out.reserve(out.size() + s->n);
    for (size_t i = 0; i < s->n; i++) {
        const struct poly_ring *r = &s->rings[i];
        if (r->n < 3)
            continue;
        out.emplace_back();
        Path &p = out.back();
        p.reserve(r->n);
        for (size_t k = 0; k < r->n; k++)
            p.emplace_back(r->pts[k].x, r->pts[k].y);
    }
}

void lines_to_paths(const struct poly_lines *l, Paths &out)
{
    out.reserve(out.size() + l->n);
    for (size_t i = 0; i < l->n; i++) {
        const struct poly_ring *r = &l->lines[i];
        if (r->n < 2)
            continue;
        out.emplace_back();
        Path &p = out.back();
        p.reserve(r->n);
        for (size_t k = 0; k < r->n; k++)
            p.emplace_back(r->pts[k].x, r->pts[k].y);
    }
}

int32_t clamp32(cInt v)
{
    return v < INT32_MIN ? INT32_MIN : v > INT32_MAX ? INT32_MAX : (int32_t)v;
}

/* Copies one path into a fresh C ring. */
int ring_from_path(const Path &p, struct poly_ring *r)
{
    *r = poly_ring{};
    size_t cap = p.size() ? p.size() : 1;
    r->pts = (struct slice_pt *)malloc(cap * sizeof(*r->pts));
    if (!r->pts)
        return DY_ENOMEM;
    for (const IntPoint &q : p)
        r->pts[r->n++] = slice_pt{clamp32(q.X), clamp32(q.Y)};
    r->cap = cap;
    return 0;
}

int from_paths(const Paths &ps, struct poly_set *out, size_t min_pts)
{
    for (const Path &p : ps) {
        if (p.size() < min_pts)
            continue;
        if (out->n == out->cap) {
            size_t ncap = out->cap ? out->cap * 2 : 8;
            void *nv = realloc(out->rings, ncap * sizeof(*out->rings));
            if (!nv)
                return DY_ENOMEM;
            out->rings = (struct poly_ring *)nv;
            out->cap = ncap;
        }
        if (ring_from_path(p, &out->rings[out->n]))
            return DY_ENOMEM;
        out->n++;
    }
    return 0;
}

/* Runs one boolean with non-zero fill on both operands. Open subject paths
 * (use_lines) are allowed when `open` is set. */
int run_bool(ClipType op, const Paths &subj, const Paths &clip, bool open_subj,
             Paths &res, PolyTree *tree)
{
    /* Clipper reports failure when it has no edges at all; for us an empty
     * input is just an empty result. */
    if (subj.empty() && clip.empty())
        return 0;
    Clipper c;
    if (!subj.empty())
        c.AddPaths(subj, ptSubject, !open_subj);
    if (!clip.empty())
        c.AddPaths(clip, ptClip, true);
    bool ok = tree ? c.Execute(op, *tree, pftNonZero, pftNonZero)
                   : c.Execute(op, res, pftNonZero, pftNonZero);
    return ok ? 0 : DY_EEXTERNAL;
}

/* Wraps a body so no exception escapes to C and `out` is empty on error. */
template <class Out, class Fini, class F> int guarded(Out *out, Fini fini, F body)
{
    int rc;
    try {
        rc = body();
    } catch (const std::bad_alloc &) {
        rc = DY_ENOMEM;
    } catch (...) {
        rc = DY_EEXTERNAL;
    }
    if (rc)
        fini(out);
    return rc;
}

int boolean(ClipType op, const struct poly_set *a, const struct poly_set *b,
            struct poly_set *out)
{
    /* Nothing to clip: skip Clipper, which would still sweep the other
     * operand (skin areas are empty on most layers). */
    bool a_empty = a->n == 0, b_empty = !b || b->n == 0;
    if ((op == ctIntersection && (a_empty || b_empty)) || (op == ctDifference && a_empty))
        return 0;
    return guarded(out, poly_set_fini, [&]() {
        Paths pa, pb, res;
        to_paths(a, pa);
        if (b)
            to_paths(b, pb);
        int rc = run_bool(op, pa, pb, false, res, nullptr);
        return rc ? rc : from_paths(res, out, 3);
    });
}

/* Walks a PolyTree: every outer node becomes an island holding its direct
 * holes; outers nested inside holes recurse into islands of their own. */
int islands_from_node(const PolyNode *n, struct poly_islands *out)
{
    for (const PolyNode *outer : n->Childs) {
        if (outer->Contour.size() < 3)
            continue;
        if (out->n == out->cap) {
            size_t ncap = out->cap ? out->cap * 2 : 8;
            void *nv = realloc(out->v, ncap * sizeof(*out->v));
            if (!nv)
                return DY_ENOMEM;
            out->v = (struct poly_island *)nv;
            out->cap = ncap;
        }
        struct poly_island *is = &out->v[out->n++];
        *is = poly_island{};
        Paths rings;
        rings.push_back(outer->Contour);
        for (const PolyNode *hole : outer->Childs)
            if (hole->Contour.size() >= 3)
                rings.push_back(hole->Contour);
        if (from_paths(rings, &is->rings, 3))
            return DY_ENOMEM;
        for (const PolyNode *hole : outer->Childs)
            if (int rc = islands_from_node(hole, out))
                return rc;
    }
    return 0;
}

/* Offsets paths that are already normalised (orientation = solid/hole). */
int offset_paths(const Paths &norm, double delta_um, enum poly_join join,
                 struct poly_set *out)
{
    if (norm.empty())
        return 0;
    Paths res;
    JoinType jt = join == POLY_JOIN_ROUND ? jtRound
                  : join == POLY_JOIN_SQUARE ? jtSquare : jtMiter;
    ClipperOffset co(2.0, ARC_TOL_UM);
    co.AddPaths(norm, jt, etClosedPolygon);
    co.Execute(res, delta_um);
    return from_paths(res, out, 3);
}

} // namespace

extern "C" {

int poly_union(const struct poly_set *a, const struct poly_set *b, struct poly_set *out)
{
    return boolean(ctUnion, a, b, out);
}

int poly_difference(const struct poly_set *a, const struct poly_set *b, struct poly_set *out)
{
    return boolean(ctDifference, a, b, out);
}

int poly_intersection(const struct poly_set *a, const struct poly_set *b,
                      struct poly_set *out)
{
    return boolean(ctIntersection, a, b, out);
}

int poly_normalize(const struct poly_set *a, struct poly_set *out)
{
    return boolean(ctUnion, a, nullptr, out);
}

int poly_offset(const struct poly_set *in, double delta_um, enum poly_join join,
                struct poly_set *out)
{
    return guarded(out, poly_set_fini, [&]() {
        Paths src, norm;
        to_paths(in, src);
        /* ClipperOffset reads orientation as solid/hole, so a flipped or
         * overlapping input must be unioned first to mean what non-zero
         * says it means. */
        int rc = run_bool(ctUnion, src, Paths(), false, norm, nullptr);
        return rc ? rc : offset_paths(norm, delta_um, join, out);
    });
}

int poly_offset_normalized(const struct poly_set *in, double delta_um, enum poly_join join,
                           struct poly_set *out)
{
    return guarded(out, poly_set_fini, [&]() {
        Paths src;
        to_paths(in, src);
        return offset_paths(src, delta_um, join, out);
    });
}

int poly_offset_lines(const struct poly_lines *lines, double delta_um,
                      struct poly_set *out)
{
    return guarded(out, poly_set_fini, [&]() {
        Paths src, res;
        lines_to_paths(lines, src);
        if (delta_um <= 0 || src.empty())
            return 0;
        ClipperOffset co(2.0, ARC_TOL_UM);
        co.AddPaths(src, jtRound, etOpenRound);
        co.Execute(res, delta_um);
        return from_paths(res, out, 3);
    });
}

int poly_clip_lines(const struct poly_set *area, const struct poly_lines *lines,
                    struct poly_lines *out)
{
    return guarded(out, poly_lines_fini, [&]() {
        Paths subj, clip, open;
        lines_to_paths(lines, subj);
        to_paths(area, clip);
        if (subj.empty() || clip.empty())
            return 0;
        PolyTree tree;
        Paths unused;
        int rc = run_bool(ctIntersection, subj, clip, true, unused, &tree);
        if (rc)
            return rc;
        OpenPathsFromPolyTree(tree, open);
        for (const Path &p : open) {
            if (p.size() < 2)
                continue;
            struct poly_ring r;
            if (ring_from_path(p, &r))
                return (int)DY_ENOMEM;
            /* poly_lines_add copies; keep one allocation per line by
             * handing over the ring directly. */
            if (out->n == out->cap) {
                size_t ncap = out->cap ? out->cap * 2 : 8;
                void *nv = realloc(out->lines, ncap * sizeof(*out->lines));
                if (!nv) {
                    poly_ring_fini(&r);
                    return (int)DY_ENOMEM;
                }
                out->lines = (struct poly_ring *)nv;
                out->cap = ncap;
            }
            out->lines[out->n++] = r;
        }
        return 0;
    });
}

int poly_split_islands(const struct poly_set *in, struct poly_islands *out)
{
    return guarded(out, poly_islands_fini, [&]() {
        Paths src, unused;
        to_paths(in, src);
        PolyTree tree;
        int rc = run_bool(ctUnion, src, Paths(), false, unused, &tree);
        return rc ? rc : islands_from_node(&tree, out);
    });
}

} // extern "C"
