// Creates the function driver a scenario's client settings ask for.
package io.pgmux.loadtest.runner;

import io.pgmux.loadtest.driver.Credentials;
import io.pgmux.loadtest.driver.FunctionDriver;
import io.pgmux.loadtest.driver.HikariFunctionDriver;
import io.pgmux.loadtest.driver.JdbcFunctionDriver;
import io.pgmux.loadtest.driver.NettyFunctionDriver;
import io.pgmux.loadtest.driver.Target;

/** Maps {@link ClientSettings#kind()} to a driver. */
public final class Drivers {
    private Drivers() {
    }

    public static FunctionDriver create(Scenario scenario, Target target, Credentials credentials) {
        ClientSettings client = scenario.client();
        switch (client.kind()) {
            case "jdbc":
                return new JdbcFunctionDriver(target, credentials, scenario.transaction(), client.threads());
            case "hikari":
                return new HikariFunctionDriver(target, credentials, scenario.transaction(), client.appServers(),
                        client.appPoolSize());
            default:
                return new NettyFunctionDriver(target, credentials, scenario.transaction(), client.threads(),
                        scenario.tenants());
        }
    }
}
