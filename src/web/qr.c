/* qr.c — QR codes (libqrencode) drawn as inline SVG: one <path> of unit squares, colours as
 * SVG attributes, no style or script, so the page's Content-Security-Policy holds. */
#include <qrencode.h>
#include <string.h>

#include "web/http.h"

const char *qr_svg(arena *a, const char *text, int px)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q) return NULL;
    const int quiet = 4, w = q->width, full = w + 2 * quiet;
    buf b = {0};
    buf_printf(&b,
               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" width=\"%d\" height=\"%d\" "
               "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\" role=\"img\">"
               "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
               px, px, full, full, full, full);
    for (int y = 0; y < w; y++) {
        for (int x = 0; x < w;) { /* one rectangle per horizontal run of dark modules */
            if (!(q->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (q->data[y * w + x + run] & 1))
                run++;
            buf_printf(&b, "M%d %dh%dv1h-%dz", x + quiet, y + quiet, run, run);
            x += run;
        }
    }
    buf_puts(&b, "\"/></svg>");
    QRcode_free(q);
    const char *out = arena_strdup(a, b.s);
    buf_free(&b);
    return out;
}
