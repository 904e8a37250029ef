// librsvg (SVG → cairo) and cairo's PDF and image surfaces (Debian librsvg2-dev, which brings cairo).
#include <librsvg/rsvg.h>
#include <cairo.h>
#include <cairo-pdf.h>
