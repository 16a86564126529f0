// "pgmux convert pgbouncer.ini": prints the equivalent pgmux YAML.
package io.pgmux.server.cli;

import io.pgmux.config.ConfigException;
import io.pgmux.config.ConfigLoader;
import io.pgmux.config.QuickStartSettings;
import io.pgmux.config.pgbouncer.PgBouncerConversion;
import io.pgmux.config.pgbouncer.PgBouncerIni;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Converts a PgBouncer ini file to pgmux YAML on standard output; what was translated or ignored goes to standard
 * error too (and into the YAML as comments). The YAML is then checked the way {@code --config} would load it, so a
 * file that converts but would not start is reported now; it is printed all the same, since the files it names
 * (auth_file, certificates) may exist only where pgmux will run. Exit status 0; 2 when the ini file cannot be
 * converted (nothing printed) or the result does not load here.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Print the pgmux YAML equivalent to a PgBouncer configuration file.%n"
                + "Settings pgmux ignores or translates are listed on standard error.")
final class ConvertCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PGBOUNCER_INI", description = "pgbouncer.ini to convert (with its %include files).")
    Path iniFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PgBouncerConversion conversion;
        try {
            conversion = PgBouncerIni.convert(iniFile);
        } catch (ConfigException e) {
            err.println("pgmux: " + e.getMessage());
            err.flush();
            return 2;
        }
        conversion.notes().forEach(note -> err.println("pgmux: note: " + note));
        conversion.warnings().forEach(warning -> err.println("pgmux: warning: " + warning));
        out.print(conversion.yaml());
        out.flush();
        int status = 0;
        try {
            ConfigLoader.loadYaml(conversion.yaml(), iniFile + " (converted)", Map.of(), QuickStartSettings.none(),
                    null);
        } catch (ConfigException e) {
            // Printed all the same: the files it names may exist only where pgmux will run.
            err.println("pgmux: the converted configuration does not load here: " + e.getMessage());
            status = 2;
        }
        err.flush();
        return status;
    }
}
