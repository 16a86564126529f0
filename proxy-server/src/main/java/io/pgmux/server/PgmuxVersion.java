package io.pgmux.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven stamped into the jar. */
public final class PgmuxVersion implements IVersionProvider {
    public static String version() {
        try (InputStream in = PgmuxVersion.class.getResourceAsStream("/pgmux-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"pgmux " + version(), "Java " + System.getProperty("java.version")};
    }
}
