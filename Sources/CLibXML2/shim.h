// libxml2 from Debian (libxml2-dev): tree building, serialisation, XSD validation.
// Debian's headers pull in the system ICU, which clashes with the ICU inside Swift's
// Foundation ("'UErrorCode' has different definitions"); undefining LIBXML_ICU_ENABLED right
// after xmlversion.h keeps ICU out (only ICU-specific fields go away). See FACTS.md.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

// Swift 6 rejects the C global `xmlFree` (a mutable function pointer); call it through here.
static inline void her2mri_xml_free(void *p) { xmlFree(p); }
