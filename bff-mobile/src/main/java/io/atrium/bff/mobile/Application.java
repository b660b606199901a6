package io.atrium.bff.mobile;

import io.micronaut.runtime.Micronaut;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code java -jar bff-mobile.jar [--config config/bff/mobile.yaml] [--port 8082]}. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> properties.put("atrium.bff.config", args[++i]);
                case "--port" -> properties.put("micronaut.server.port", Integer.parseInt(args[++i]));
                default -> {
                    System.err.println("unknown argument '" + args[i] + "'; usage: --config <mobile.yaml> [--port <port>]");
                    System.exit(2);
                }
            }
        }
        Micronaut.build(new String[0]).mainClass(Application.class).banner(false).properties(properties).start();
    }
}
