// PostgreSQL's encoding names mapped to the Java charsets that read them as PostgreSQL does.
package io.pgmux.server.notify;

import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Java charset for each PostgreSQL encoding pgmux can decode exactly, by any of the names PostgreSQL accepts
 * (compared as pg_char_to_encoding does: case and punctuation ignored).
 *
 * <p>Left out, so that text in them is read only when it is plain ASCII: SQL_ASCII (no conversion at all: bytes
 * pass to the server as they are), MULE_INTERNAL, EUC_JIS_2004 and SHIFT_JIS_2004 (no Java charset).
 *
 * <p>The multibyte encodings SJIS, BIG5, GBK, UHC, GB18030, JOHAB and the EUC family are decoded for lexing, which
 * only needs character boundaries (their second bytes may be 0x5C, a backslash, which the decoder keeps inside the
 * character); but PostgreSQL converts them with its own tables (CP932, CP950, CP936...), which differ from Java's in
 * places, so a channel name with non-ASCII characters in them is not read ({@link #exactNames}).
 */
final class PgEncodings {
    /** Java charset names by PostgreSQL name (cleaned); resolved once into {@link #CHARSETS}. */
    private static final Map<String, String> JAVA_NAMES = new HashMap<>();
    private static final Map<String, Charset> CHARSETS = new HashMap<>();
    /** Encodings whose conversion to Unicode is the same table in PostgreSQL and Java. */
    private static final Set<String> EXACT = Set.of("UTF-8", "ISO-8859-1", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4",
            "ISO-8859-5", "ISO-8859-6", "ISO-8859-7", "ISO-8859-8", "ISO-8859-9", "ISO-8859-13", "ISO-8859-15",
            "ISO-8859-16", "windows-1250", "windows-1251", "windows-1252", "windows-1253", "windows-1254",
            "windows-1255", "windows-1256", "windows-1257", "windows-1258", "KOI8-R", "KOI8-U", "IBM866");

    static {
        names("UTF-8", "utf8", "unicode");
        names("ISO-8859-1", "latin1", "iso88591");
        names("ISO-8859-2", "latin2", "iso88592");
        names("ISO-8859-3", "latin3", "iso88593");
        names("ISO-8859-4", "latin4", "iso88594");
        names("ISO-8859-9", "latin5", "iso88599");
        names("ISO-8859-13", "latin7", "iso885913");
        names("ISO-8859-15", "latin9", "iso885915");
        names("ISO-8859-16", "latin10", "iso885916");
        names("ISO-8859-5", "iso88595");
        names("ISO-8859-6", "iso88596");
        names("ISO-8859-7", "iso88597");
        names("ISO-8859-8", "iso88598");
        for (int cp = 1250; cp <= 1258; cp++) {
            names("windows-" + cp, "win" + cp, "windows" + cp);
        }
        names("IBM866", "win866", "alt", "windows866");
        names("x-windows-874", "win874", "windows874");
        names("KOI8-R", "koi8r", "koi8");
        names("KOI8-U", "koi8u");
        names("EUC-JP", "eucjp");
        names("EUC-KR", "euckr");
        names("GB2312", "euccn");
        names("x-EUC-TW", "euctw");
        names("windows-31j", "sjis", "mskanji", "shiftjis", "win932", "windows932");
        names("x-windows-950", "big5", "win950", "windows950");
        names("GBK", "gbk", "win936", "windows936");
        names("x-windows-949", "uhc", "win949", "windows949");
        names("GB18030", "gb18030");
        names("x-Johab", "johab");
        JAVA_NAMES.forEach((pgName, javaName) -> {
            if (Charset.isSupported(javaName)) {
                CHARSETS.put(pgName, Charset.forName(javaName));
            }
        });
    }

    private PgEncodings() {
    }

    private static void names(String javaName, String... pgNames) {
        for (String name : pgNames) {
            JAVA_NAMES.put(name, javaName);
        }
    }

    /** The charset for a PostgreSQL encoding name, or null when pgmux does not decode it (or it is null). */
    static Charset charset(String pgName) {
        return pgName == null ? null : CHARSETS.get(clean(pgName));
    }

    /** Whether PostgreSQL and Java convert every character of this encoding to the same Unicode character. */
    static boolean exactNames(String pgName) {
        Charset charset = charset(pgName);
        return charset != null && EXACT.contains(charset.name());
    }

    /** As PostgreSQL's clean_encoding_name: letters and digits only, lower case. */
    private static String clean(String name) {
        StringBuilder clean = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            if (c < 0x80 && Character.isLetterOrDigit(c)) {
                clean.append(Character.toLowerCase(c));
            }
        }
        return clean.toString().toLowerCase(Locale.ROOT);
    }
}
