// Every ICU call WildGuard makes. ICU headers stay in this file.
#include "wildguard_shims.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>
#include <unicode/uversion.h>

int32_t wgshim_icu_fold_codepoint(uint32_t cp, int32_t decompose, uint32_t *out, int32_t cap) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *casefold = unorm2_getNFKCCasefoldInstance(&status);
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&status);
    if (U_FAILURE(status)) return -1;

    UChar src[4];
    int32_t srcLen = 0;
    U16_APPEND_UNSAFE(src, srcLen, (UChar32)cp);
    UChar folded[64];
    int32_t foldedLen = unorm2_normalize(casefold, src, srcLen, folded, 64, &status);
    if (U_FAILURE(status)) return -1;
    UChar decomposed[128];
    int32_t decomposedLen = foldedLen;
    if (decompose) {
        decomposedLen = unorm2_normalize(nfd, folded, foldedLen, decomposed, 128, &status);
        if (U_FAILURE(status)) return -1;
    } else {
        memcpy(decomposed, folded, (size_t)foldedLen * sizeof(UChar));
    }

    int32_t written = 0;
    int32_t i = 0;
    while (i < decomposedLen) {
        UChar32 c;
        U16_NEXT(decomposed, i, decomposedLen, c);
        if (written >= cap) return -1;
        out[written++] = (uint32_t)c;
    }
    return written;
}

int32_t wgshim_icu_general_category(uint32_t cp) { return (int32_t)u_charType((UChar32)cp); }

int32_t wgshim_icu_script(uint32_t cp) {
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript((UChar32)cp, &status);
    return U_FAILURE(status) ? -1 : (int32_t)script;
}

int32_t wgshim_icu_has_script(uint32_t cp, int32_t script) {
    return uscript_hasScript((UChar32)cp, (UScriptCode)script) ? 1 : 0;
}

int32_t wgshim_icu_has_property(uint32_t cp, int32_t property) {
    UProperty which;
    switch (property) {
    case 0: which = UCHAR_DEFAULT_IGNORABLE_CODE_POINT; break;
    case 1: which = UCHAR_EMOJI; break;
    case 2: which = UCHAR_EXTENDED_PICTOGRAPHIC; break;
    case 3: which = UCHAR_WHITE_SPACE; break;
    case 4: which = UCHAR_ALPHABETIC; break;
    default: return 0;
    }
    return u_hasBinaryProperty((UChar32)cp, which) ? 1 : 0;
}

int32_t wgshim_icu_skeleton(const uint16_t *src, int32_t len, uint16_t *dst, int32_t cap) {
    UErrorCode status = U_ZERO_ERROR;
    USpoofChecker *checker = uspoof_open(&status);
    if (U_FAILURE(status)) return -1;
    int32_t n = uspoof_getSkeleton(checker, 0, (const UChar *)src, len, (UChar *)dst, cap, &status);
    uspoof_close(checker);
    return U_FAILURE(status) ? -1 : n;
}

wgshim_transliterator *wgshim_icu_transliterator_open(const char *transliterator_id) {
    UErrorCode status = U_ZERO_ERROR;
    UChar id[128];
    u_uastrncpy(id, transliterator_id, 127);
    id[127] = 0;
    UTransliterator *trans = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
    if (U_FAILURE(status)) return NULL;
    return (wgshim_transliterator *)trans;
}

void wgshim_icu_transliterator_close(wgshim_transliterator *transliterator) {
    if (transliterator) utrans_close((UTransliterator *)transliterator);
}

int32_t wgshim_icu_transliterate(wgshim_transliterator *transliterator, const uint16_t *src, int32_t len,
                             uint16_t *dst, int32_t cap) {
    UErrorCode status = U_ZERO_ERROR;
    if (len > cap) return -1;
    memcpy(dst, src, (size_t)len * sizeof(uint16_t));
    int32_t textLength = len;
    int32_t limit = len;
    utrans_transUChars((UTransliterator *)transliterator, (UChar *)dst, &textLength, cap, 0, &limit,
                       &status);
    if (U_FAILURE(status) || textLength > cap) return -1;
    return textLength;
}

const char *wgshim_icu_version(void) {
    static char buffer[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo info;
    u_getVersion(info);
    u_versionToString(info, buffer);
    return buffer;
}
